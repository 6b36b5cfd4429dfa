import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, open, readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import type { RbacUser } from '../../shared/rbac/index.js';

/**
 * Who is asking (docs/edge-metaserver.md § Access). Everything but secrets is readable from
 * loopback by anyone (KubeEdge's MetaServer does the same); secrets need a credential: the edge's
 * own token file, or a pod's edge-local service-account token (its own namespace). A caller with
 * the cloud's pod-bound token (`bound-token`) is authorized by RBAC for everything it reads.
 */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'edge-token' }
  | { kind: 'service-account'; namespace: string; name: string }
  | { kind: 'bound-token'; namespace: string; name: string; user: RbacUser };

/**
 * A way to recognize a bearer token. The seam for pods' service-account tokens: edged will
 * provide one that checks a token against the projected tokens of the pods it runs (and limits
 * the caller to its own namespace). Until edged exists, only the token file is accepted.
 */
export type TokenAuthenticator = (token: string) => Caller | undefined;

export type Authentication = { ok: true; caller: Caller } | { ok: false; reason: string };

/** Recognizes exactly the token in the edge's metaserver.token file (constant-time compare). */
export function fileTokenAuthenticator(expected: string): TokenAuthenticator {
  const wanted = Buffer.from(expected);
  return (token) => {
    const given = Buffer.from(token);
    return given.length === wanted.length && timingSafeEqual(given, wanted) ? { kind: 'edge-token' } : undefined;
  };
}

/** No Authorization header: anonymous. A bearer token nobody recognizes: refused (401), as on Kubernetes. */
export function authenticate(req: IncomingMessage, authenticators: readonly TokenAuthenticator[]): Authentication {
  const header = req.headers.authorization;
  if (header === undefined || header === '') return { ok: true, caller: { kind: 'anonymous' } };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) return { ok: false, reason: 'only bearer tokens are accepted' };
  const token = match[1] ?? '';
  for (const authenticator of authenticators) {
    const caller = authenticator(token);
    if (caller !== undefined) return { ok: true, caller };
  }
  return { ok: false, reason: 'unknown bearer token' };
}

export function callerName(caller: Caller): string {
  if (caller.kind === 'anonymous') return 'system:anonymous';
  if (caller.kind === 'edge-token') return 'system:metaserver-token';
  if (caller.kind === 'bound-token') return caller.user.name;
  return `system:serviceaccount:${caller.namespace}:${caller.name}`;
}

/**
 * Whether the caller may read a credential-only kind in `namespace` (undefined = all namespaces).
 * A service account is limited to its own namespace.
 */
export function mayReadSecrets(caller: Caller, namespace: string | undefined): boolean {
  if (caller.kind === 'edge-token') return true;
  if (caller.kind === 'service-account') return namespace === caller.namespace;
  return false;
}

/**
 * Guards against DNS rebinding: a web page cannot make a browser talk to this loopback API
 * under a name it controls, because only loopback Host names are answered.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined || host === '') return true;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

/**
 * The Host guard of the pod-network listener: exactly the address it is bound to (with or without
 * the port), never a name, for the same reason as on loopback (docs/edge-metaserver.md § Access).
 */
export function isPodNetworkHost(host: string | undefined, address: string): boolean {
  if (host === undefined || host === '') return true;
  return host === address || new RegExp(`^${address.replaceAll('.', '\\.')}:\\d+$`).test(host);
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,}$/;

/**
 * Reads the edge's MetaServer token, creating it (crypto-random, mode 0600, exclusive create so
 * two starts cannot race) the first time. A token file that is not a token is an error to see.
 */
export async function ensureTokenFile(file: string): Promise<Result<string>> {
  try {
    const handle = await open(file, 'wx', 0o600);
    const token = randomBytes(32).toString('base64url');
    try {
      await handle.writeFile(`${token}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return ok(token);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return fail('Unavailable', `cannot create ${file}: ${errorMessage(err)}`);
  }
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (!TOKEN_PATTERN.test(token)) return fail('ConfigInvalid', `${file} does not hold a MetaServer token; delete it and restart to create a new one`);
    // Someone may have loosened it; a token readable by others is no credential.
    await chmod(file, 0o600);
    return ok(token);
  } catch (err) {
    return fail('Unavailable', `cannot read ${file}: ${errorMessage(err)}`);
  }
}

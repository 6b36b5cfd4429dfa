import { z } from 'zod';
import { addWarning, writeJson } from '../../shared/apimachinery/endpoints/respond.js';
import { errors } from '../../shared/apimachinery/errors/status.js';
import { invalid, type FieldError } from '../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import type { ResourceRequest } from '../apiserver/handlers/context.js';
import { decodeBody, readBody } from '../apiserver/http/body.js';
import type { BoundObject, ServiceAccountTokenIssuer, TokenRequestSpec } from './types.js';

const SERVICE_ACCOUNTS = { group: '', resource: 'serviceaccounts', namespaced: true };
const PODS = { group: '', resource: 'pods', namespaced: true };
const SECRETS = { group: '', resource: 'secrets', namespaced: true };
const NODES = { group: '', resource: 'nodes', namespaced: false };

/** TokenRequest's defaults and bounds (k8s.io/api authentication/v1 defaults, authentication validation). */
export const DEFAULT_EXPIRATION_SECONDS = 3600;
export const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32 - 1;

const tokenRequestBody = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: z.object({ name: z.string().optional(), namespace: z.string().optional() }).passthrough().nullish(),
  spec: z
    .object({
      audiences: z.array(z.string()).nullish(),
      expirationSeconds: z.number().int().nullish(),
      boundObjectRef: z
        .object({ kind: z.string().optional(), apiVersion: z.string().optional(), name: z.string().optional(), uid: z.string().optional() })
        .nullish(),
    })
    .passthrough()
    .nullish(),
});
type TokenRequestBody = z.output<typeof tokenRequestBody>;

export interface TokenRequestHandlerOptions {
  issuer: ServiceAccountTokenIssuer;
  /** kube-apiserver's --service-account-max-token-expiration in seconds; 0 = none. */
  maxExpirationSeconds: number;
}

/**
 * POST .../serviceaccounts/NAME/token: Kubernetes' TokenRequest (authentication.k8s.io/v1), as
 * pkg/registry/core/serviceaccount/storage/token.go serves it, in named steps: read the body, check
 * it names this service account, find the service account, default and validate the spec, find
 * and check the bound object, cap the lifetime, sign (docs/service-accounts.md § TokenRequest).
 */
export function createTokenRequestHandler(options: TokenRequestHandlerOptions): (r: ResourceRequest) => Promise<void> {
  return async (r) => {
    if (r.info.verb !== 'create') throw errors.methodNotAllowed(`the server does not allow this method on the requested resource (${r.req.method ?? ''} serviceaccounts token)`);
    const namespace = r.info.namespace ?? 'default';
    const name = r.info.name ?? '';
    const body = await readTokenRequest(r);
    checkNamesMatch(body, namespace, name);
    const serviceAccount = await r.ctx.objects.get(SERVICE_ACCOUNTS, namespace, name);
    if (serviceAccount === undefined) throw errors.notFound({ group: '', resource: 'serviceaccounts', name });
    const audiences = body.spec?.audiences ?? [];
    let expirationSeconds = body.spec?.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
    validateExpiration(expirationSeconds);
    const bound = await findBoundObject(r, body, namespace, name);
    if (options.maxExpirationSeconds > 0 && expirationSeconds > options.maxExpirationSeconds) {
      addWarning(r.res, `requested expiration of ${expirationSeconds} seconds shortened to ${options.maxExpirationSeconds} seconds`);
      expirationSeconds = options.maxExpirationSeconds;
    }
    const spec: TokenRequestSpec = {
      namespace,
      serviceAccountName: name,
      serviceAccountUid: serviceAccount.metadata.uid ?? '',
      audiences,
      expirationSeconds,
      ...(bound.object !== undefined ? { boundObject: bound.object } : {}),
      ...(bound.node !== undefined ? { node: bound.node } : {}),
    };
    const issued = options.issuer.issue(spec);
    const ref = body.spec?.boundObjectRef;
    writeJson(r.res, 201, {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: null },
      spec: { audiences: issued.audiences, expirationSeconds, boundObjectRef: ref ?? null },
      status: { token: issued.token, expirationTimestamp: issued.expirationTimestamp },
    });
  };
}

async function readTokenRequest(r: ResourceRequest): Promise<TokenRequestBody> {
  const parsed = tokenRequestBody.safeParse(decodeBody(await readBody(r.req), r.req.headers['content-type']));
  if (!parsed.success) throw errors.badRequest(`invalid TokenRequest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function checkNamesMatch(body: TokenRequestBody, namespace: string, name: string): void {
  const problems: FieldError[] = [];
  const bodyName = body.metadata?.name;
  const bodyNamespace = body.metadata?.namespace;
  if (bodyName !== undefined && bodyName !== '' && bodyName !== name) problems.push(invalid('metadata.name', bodyName, 'must match the service account name if specified'));
  if (bodyNamespace !== undefined && bodyNamespace !== '' && bodyNamespace !== namespace) {
    problems.push(invalid('metadata.namespace', bodyNamespace, 'must match the service account namespace if specified'));
  }
  if (problems.length > 0) throw errors.invalid('authentication.k8s.io', 'TokenRequest', bodyName ?? '', problems);
}

function validateExpiration(seconds: number): void {
  if (seconds < MIN_EXPIRATION_SECONDS) {
    throw errors.invalid('authentication.k8s.io', 'TokenRequest', '', [invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes')]);
  }
  if (seconds > MAX_EXPIRATION_SECONDS) {
    throw errors.invalid('authentication.k8s.io', 'TokenRequest', '', [invalid('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds')]);
  }
}

/** The Pod or Secret the token is bound to (it must exist, with the uid given), and a pod's node. */
async function findBoundObject(
  r: ResourceRequest,
  body: TokenRequestBody,
  namespace: string,
  serviceAccountName: string,
): Promise<{ object?: BoundObject; node?: { name: string; uid: string } }> {
  const ref = body.spec?.boundObjectRef;
  if (ref === undefined || ref === null) return {};
  const apiVersion = ref.apiVersion ?? '';
  const kind = ref.kind ?? '';
  const refName = ref.name ?? '';
  let found: KubeObject | undefined;
  let node: { name: string; uid: string } | undefined;
  // Kubernetes looks at the group only: "v1" and an empty apiVersion both mean the core group.
  const coreGroup = !apiVersion.includes('/');
  if (coreGroup && kind === 'Pod') {
    found = await r.ctx.objects.get(PODS, namespace, refName);
    if (found === undefined) throw errors.notFound({ group: '', resource: 'pods', name: refName });
    const spec = (found.spec ?? {}) as { serviceAccountName?: string; nodeName?: string };
    if (spec.serviceAccountName !== serviceAccountName) {
      throw errors.badRequest(`cannot bind token for serviceaccount "${serviceAccountName}" to pod running with different serviceaccount name.`);
    }
    // Kubernetes adds the pod's node when it exists (ServiceAccountTokenPodNodeInfo); a missing node is no error.
    if (spec.nodeName !== undefined && spec.nodeName !== '') {
      const nodeObject = await r.ctx.objects.get(NODES, undefined, spec.nodeName);
      if (nodeObject !== undefined) node = { name: spec.nodeName, uid: nodeObject.metadata.uid ?? '' };
    }
  } else if (coreGroup && kind === 'Secret') {
    found = await r.ctx.objects.get(SECRETS, namespace, refName);
    if (found === undefined) throw errors.notFound({ group: '', resource: 'secrets', name: refName });
  } else {
    throw errors.badRequest(`cannot bind token to object of type ${goGroupVersionKind(apiVersion, kind)}`);
  }
  const uid = found.metadata.uid ?? '';
  if (ref.uid !== undefined && ref.uid !== '' && ref.uid !== uid) {
    throw errors.conflict(
      { group: '', resource: kind, name: refName },
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return { object: { kind, name: refName, uid }, ...(node !== undefined ? { node } : {}) };
}

/** schema.GroupVersionKind.String() of Go: "group/version, Kind=kind". */
function goGroupVersionKind(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return `${group}/${version}, Kind=${kind}`;
}

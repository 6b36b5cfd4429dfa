/**
 * The edge's HTTPS client for cloudcore's bootstrap endpoint. Only GET /ca.crt goes out without
 * verifying the server, and its answer is trusted only once its hash matches the token's; every
 * other call trusts that pinned CA alone.
 */
import { request } from 'node:https';
import { isIP } from 'node:net';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

export const DEFAULT_BOOTSTRAP_PORT = 10002;
const TIMEOUT_MS = 15_000;
const MAX_ANSWER_BYTES = 256 * 1024;

/** `HOST`, `HOST:PORT`, `[v6]:PORT` or an https:// URL → https://HOST:PORT (port 10002 by default). */
export function bootstrapUrl(server: string): Result<string, 'Invalid'> {
  const text = server.trim();
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `https://${isIP(text) === 6 ? `[${text}]` : text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail('Invalid', `--server "${server}" is not HOST[:PORT]`);
  }
  if (url.protocol !== 'https:') return fail('Invalid', `--server "${server}": the bootstrap endpoint speaks https`);
  if (url.hostname === '' || url.pathname !== '/' || url.search !== '') return fail('Invalid', `--server "${server}" is not HOST[:PORT]`);
  return ok(`https://${url.hostname}:${url.port === '' ? DEFAULT_BOOTSTRAP_PORT : url.port}`);
}

export interface TlsTrust {
  /** Undefined only for GET /ca.crt, before anything can be verified. */
  caPem: string | undefined;
  certPem?: string;
  keyPem?: string;
}

interface Answer {
  status: number;
  text: string;
}

function call(server: string, method: string, path: string, trust: TlsTrust, body?: unknown): Promise<Result<Answer, 'Unavailable'>> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(new URL(path, server), {
      method,
      timeout: TIMEOUT_MS,
      ...(trust.caPem === undefined ? { rejectUnauthorized: false } : { ca: trust.caPem }),
      ...(trust.certPem === undefined ? {} : { cert: trust.certPem, key: trust.keyPem }),
      agent: false,
      headers: payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve(ok({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })));
      res.on('error', (err) => resolve(fail('Unavailable', `${server}${path}: ${errorMessage(err)}`)));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(fail('Unavailable', describeNetworkError(server, err))));
    req.end(payload);
  });
}

function describeNetworkError(server: string, err: NodeJS.ErrnoException): string {
  const host = new URL(server).hostname;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `cannot reach the bootstrap endpoint at ${server}: connection refused (is cloudcore running, and is this its bootstrap port, ${DEFAULT_BOOTSTRAP_PORT} by default?)`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the cloud's serving certificate does not name ${host}: reach the cloud by a name it has, or add ${host} to apiserver.sans in cloudcore's config`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `the server at ${server} is not signed by the pinned CA (${err.code})`;
    default:
      return `cannot reach the bootstrap endpoint at ${server}: ${errorMessage(err)}`;
  }
}

const refusalSchema = z.object({ code: z.string(), message: z.string() });

/** A refusal with the cloud's own explanation, or a plain one for anything else. */
function refusal(answer: Answer, what: string): { ok: false; code: 'Unauthorized' | 'Forbidden' | 'Conflict' | 'BadRequest' | 'Unavailable'; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    parsed = undefined;
  }
  const body = refusalSchema.safeParse(parsed);
  const message = body.success ? `${what} refused: ${body.data.message} (${body.data.code})` : `${what} failed with HTTP ${answer.status}`;
  const code = answer.status === 401 ? 'Unauthorized' : answer.status === 403 ? 'Forbidden' : answer.status === 409 ? 'Conflict' : answer.status === 400 ? 'BadRequest' : 'Unavailable';
  return fail(code, message);
}

export async function fetchCaUnverified(server: string): Promise<Result<string>> {
  const answer = await call(server, 'GET', '/ca.crt', { caPem: undefined });
  if (!answer.ok) return answer;
  if (answer.value.status !== 200) return refusal(answer.value, 'fetching the CA');
  return ok(answer.value.text);
}

const joinAnswerSchema = z.object({ certificate: z.string().min(1), caCertificate: z.string().min(1), hubUrl: z.string() });
export type JoinAnswer = z.output<typeof joinAnswerSchema>;

export async function requestJoin(server: string, caPem: string, body: { token: string; nodeName: string; csr: string }): Promise<Result<JoinAnswer>> {
  const answer = await call(server, 'POST', '/v1/join', { caPem }, body);
  if (!answer.ok) return answer;
  if (answer.value.status !== 200) return refusal(answer.value, 'join');
  return parseAnswer(joinAnswerSchema, answer.value.text, 'join');
}

const renewAnswerSchema = z.object({ certificate: z.string().min(1) });

export async function requestRenewal(server: string, trust: Required<TlsTrust>, body: { csr: string; nodeName?: string }): Promise<Result<string>> {
  const answer = await call(server, 'POST', '/v1/renew', trust, body);
  if (!answer.ok) return answer;
  if (answer.value.status !== 200) return refusal(answer.value, 'certificate renewal');
  const parsed = parseAnswer(renewAnswerSchema, answer.value.text, 'certificate renewal');
  return parsed.ok ? ok(parsed.value.certificate) : parsed;
}

function parseAnswer<S extends z.ZodType>(schema: S, text: string, what: string): Result<z.output<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('Invalid', `${what}: the cloud's answer is not JSON`);
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? ok(parsed.data) : fail('Invalid', `${what}: the cloud's answer is malformed`);
}

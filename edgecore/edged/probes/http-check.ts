/**
 * httpGet probes and hooks (kubelet's pkg/probe/http): GET with kubelet's headers, success for a
 * status in 200–399, failure otherwise ("HTTP probe failed with statuscode: N") or when the
 * request fails. Redirects are followed only to the same host (at most 10); a redirect elsewhere
 * ends the probe with the 3xx, a success with a warning. HTTPS does not verify the certificate,
 * as kubelet's prober does not. The body is read up to 10 KiB.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { failure, success, type CheckOutcome } from './check-result.js';
import { dialError } from './tcp-check.js';

/** kubelet's User-Agent: kube-probe/<major>.<minor> of the kubelet version edged reports. */
const USER_AGENT = 'kube-probe/1.32';
const MAX_BODY = 10 * 1024;
const MAX_REDIRECTS = 10;

type Answer = { status: number; location: string | undefined; body: string } | { error: string };

function get(url: URL, headers: Record<string, string>, deadline: number): Promise<Answer> {
  return new Promise((resolve) => {
    const remaining = Math.max(1, deadline - Date.now());
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let settled = false;
    const finish = (answer: Answer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(answer);
    };
    const req = send(url, { method: 'GET', headers, rejectUnauthorized: false, agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY) chunks.push(chunk.subarray(0, MAX_BODY - size));
        size += chunk.length;
      });
      res.on('end', () => finish({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => finish({ error: err.message }));
    });
    const timer = setTimeout(() => finish({ error: 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)' }), remaining);
    req.on('error', (err: NodeJS.ErrnoException) => finish({ error: err.code === undefined ? err.message : dialError(host, port, err) }));
    req.end();
  });
}

/** kubelet's headers: the probe's own, then User-Agent and Accept unless it set them. */
export function probeHeaders(own: readonly { name: string; value: string }[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of own) headers[h.name] = h.value;
  const has = (name: string): boolean => Object.keys(headers).some((k) => k.toLowerCase() === name);
  if (!has('user-agent')) headers['User-Agent'] = USER_AGENT;
  if (!has('accept')) headers.Accept = '*/*';
  return headers;
}

export async function httpCheck(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<CheckOutcome> {
  const deadline = Date.now() + timeoutMs;
  let current = url;
  for (let hop = 0; ; hop++) {
    const answer = await get(current, headers, deadline);
    if ('error' in answer) return failure(`Get ${JSON.stringify(current.href)}: ${answer.error}`);
    const { status, location, body } = answer;
    if (status >= 300 && status < 400 && location !== undefined) {
      const next = new URL(location, current);
      // Go's client stops at a redirect the check refuses and answers the 3xx itself.
      if (next.hostname !== url.hostname) return { result: 'warning', output: `Probe terminated redirects, Response body: ${body}` };
      if (hop + 1 >= MAX_REDIRECTS) return failure(`Get ${JSON.stringify(next.href)}: stopped after ${MAX_REDIRECTS} redirects`);
      current = next;
      continue;
    }
    if (status >= 200 && status < 300) return success(body);
    if (status >= 300 && status < 400) return { result: 'warning', output: `Probe terminated redirects, Response body: ${body}` };
    return failure(`HTTP probe failed with statuscode: ${status}`);
  }
}

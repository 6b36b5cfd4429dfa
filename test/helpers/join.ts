import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { OUTPOST_CLI } from './paths.js';

/** Runs the real CLI and collects its output and exit code (never throws on a non-zero exit). */
export function outpost(args: string[], timeoutMs = 60_000, env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [OUTPOST_CLI, ...args], { timeout: timeoutMs, ...(env === undefined ? {} : { env: { ...process.env, ...env } }) }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

export function cloudEndpoints(dataDir: string): { api: string; bootstrap: string; hub?: string; pid: number } {
  return JSON.parse(readFileSync(join(dataDir, 'cloud', 'endpoints.json'), 'utf8')) as { api: string; bootstrap: string; hub?: string; pid: number };
}

/** HOST:PORT of the bootstrap endpoint, as `--server` takes it. */
export function bootstrapServer(dataDir: string): string {
  return cloudEndpoints(dataDir).bootstrap.replace(/^https:\/\//, '');
}

export async function createToken(dataDir: string, extra: string[] = []): Promise<string> {
  // The token alone: by default stdout is the whole join command.
  const res = await outpost(['token', 'create', '--data-dir', dataDir, '-o', 'token', ...extra]);
  if (res.code !== 0) throw new Error(`token create failed: ${res.stderr}`);
  return res.stdout.trim();
}

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A tiny HTTPS client for the bootstrap endpoint: pinned CA, optional client certificate. */
export function postBootstrap(url: string, path: string, body: unknown, tls: { ca: string; cert?: string; key?: string }): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(new URL(path, url), {
      method: 'POST',
      ca: tls.ca,
      ...(tls.cert === undefined ? {} : { cert: tls.cert, key: tls.key }),
      agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export function edgePki(dataDir: string, node: string): { ca: string; cert: string; key: string } {
  const dir = join(dataDir, 'edges', node, 'pki');
  return { ca: readFileSync(join(dir, 'ca.crt'), 'utf8'), cert: readFileSync(join(dir, 'node.crt'), 'utf8'), key: readFileSync(join(dir, 'node.key'), 'utf8') };
}

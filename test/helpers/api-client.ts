import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { parse as parseYaml } from 'yaml';

/** Credentials and CA from a kubeconfig with embedded data, as `outpost cloud` writes it. */
export interface KubeconfigCredentials {
  server: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export function readKubeconfig(file: string): KubeconfigCredentials {
  const doc = parseYaml(readFileSync(file, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const cluster = doc.clusters[0]?.cluster;
  const user = doc.users[0]?.user;
  if (cluster === undefined || user === undefined) throw new Error(`${file} has no cluster or user`);
  const b64 = (s: string) => Buffer.from(s, 'base64');
  return {
    server: cluster.server,
    ca: b64(cluster['certificate-authority-data']),
    cert: b64(user['client-certificate-data']),
    key: b64(user['client-key-data']),
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** A raw HTTPS client for the API, for what kubectl cannot show (headers, exact status codes). */
export function rawClient(creds: { server: string; ca: Buffer; cert?: Buffer; key?: Buffer; token?: string }) {
  const agent = new Agent({ ca: creds.ca, ...(creds.cert ? { cert: creds.cert, key: creds.key } : {}), keepAlive: false });
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, creds.server);
      const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      const req = request(
        url,
        {
          method,
          agent,
          headers: {
            // Node frames DELETE bodies only with an explicit length (no chunking by default).
            ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
            ...(creds.token ? { Authorization: `Bearer ${creds.token}` } : {}),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: <T>() => JSON.parse(text) as T }),
          );
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
}

import { Agent, request, type RequestOptions } from 'node:https';
import { fail, ok, type Result } from '../../shared/errors.js';
import { openLineStream, type WatchHandle, type WatchLineHandler } from '../shared/line-stream.js';
import type { ClientCredentials } from './kubeconfig.js';

export interface HttpResponse {
  status: number;
  body: Buffer;
}

export type { WatchHandle, WatchLineHandler };

/**
 * A minimal Kubernetes API client over node:https with client-certificate auth. Requests share
 * one keep-alive agent, as a real client (kubectl, client-go) reuses connections; watches get
 * their own agent so 100 long-lived streams never starve the request pool.
 */
export class KubeClient {
  private readonly url: URL;
  private readonly requestAgent: Agent;
  private readonly watchAgent: Agent;

  constructor(creds: ClientCredentials, maxSockets = 64) {
    this.url = new URL(creds.server);
    const tls = { ca: creds.caPem, cert: creds.certPem, key: creds.keyPem };
    this.requestAgent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, ...tls });
    this.watchAgent = new Agent({ keepAlive: false, maxSockets: Infinity, ...tls });
  }

  /** One request; the whole body is read. Network failures are returned, not thrown. */
  request(method: string, path: string, bodyText?: string, contentType = 'application/json'): Promise<Result<HttpResponse>> {
    return new Promise((resolve) => {
      const req = request(this.options(method, path, this.requestAgent, bodyText, contentType), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) })));
        res.on('error', (err) => resolve(fail('Unavailable', `${method} ${path}: ${err.message}`)));
      });
      req.on('error', (err) => resolve(fail('Unavailable', `${method} ${path}: ${err.message}`)));
      req.end(bodyText);
    });
  }

  /** POSTs a serialized object and expects 201 Created. */
  async create(path: string, bodyText: string): Promise<Result<HttpResponse>> {
    const res = await this.request('POST', path, bodyText);
    if (!res.ok) return res;
    if (res.value.status !== 201) return fail('Internal', `POST ${path}: HTTP ${res.value.status}: ${res.value.body.toString('utf8').slice(0, 300)}`);
    return res;
  }

  /**
   * Opens a watch (path must carry watch=true). Resolves once the response headers arrive (the
   * server sends them when the watch is registered), so events after that are not missed.
   */
  openWatch(path: string, onLine: WatchLineHandler): Promise<Result<WatchHandle>> {
    return openLineStream(`GET ${path}`, (onResponse) => request(this.options('GET', path, this.watchAgent), onResponse).end(), onLine);
  }

  close(): void {
    this.requestAgent.destroy();
    this.watchAgent.destroy();
  }

  private options(method: string, path: string, agent: Agent, bodyText?: string, contentType = 'application/json'): RequestOptions {
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (bodyText !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(bodyText);
    }
    return { hostname: this.url.hostname, port: this.url.port, method, path, agent, headers };
  }
}

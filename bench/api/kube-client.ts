import { Agent, request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import type { ClientCredentials } from './kubeconfig.js';

export interface HttpResponse {
  status: number;
  body: Buffer;
}

/** An open watch stream; lines arrive through the callback given to openWatch. */
export interface WatchHandle {
  close(): void;
  /** Resolves when the server ends the stream or it fails. */
  ended: Promise<void>;
}

/** Called once per complete JSON line, with the time its chunk arrived (performance.now()). */
export type WatchLineHandler = (line: string, receivedAt: number) => void;

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
  request(method: string, path: string, bodyText?: string): Promise<Result<HttpResponse>> {
    return new Promise((resolve) => {
      const req = request(this.options(method, path, this.requestAgent, bodyText), (res) => {
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
    return new Promise((resolve) => {
      let endedResolve: () => void = () => {};
      const ended = new Promise<void>((r) => {
        endedResolve = r;
      });
      const req = request(this.options('GET', path, this.watchAgent), (res) => {
        if (res.statusCode !== 200) {
          readAll(res).then((text) => resolve(fail('Unavailable', `GET ${path}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`)), endedResolve);
          return;
        }
        streamLines(res, onLine);
        res.on('end', endedResolve);
        res.on('close', endedResolve);
        res.on('error', endedResolve);
        resolve(ok({ close: () => req.destroy(), ended }));
      });
      req.on('error', (err) => {
        endedResolve();
        resolve(fail('Unavailable', `GET ${path}: ${errorMessage(err)}`));
      });
      req.end();
    });
  }

  close(): void {
    this.requestAgent.destroy();
    this.watchAgent.destroy();
  }

  private options(method: string, path: string, agent: Agent, bodyText?: string): RequestOptions {
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (bodyText !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(bodyText);
    }
    return { hostname: this.url.hostname, port: this.url.port, method, path, agent, headers };
  }
}

/** Splits a chunked stream into lines; the arrival time is taken before any parsing. */
function streamLines(res: IncomingMessage, onLine: WatchLineHandler): void {
  res.setEncoding('utf8');
  let pending = '';
  res.on('data', (chunk: string) => {
    const receivedAt = performance.now();
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== '') onLine(line, receivedAt);
      newline = pending.indexOf('\n');
    }
  });
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', (err) => resolve(`(body unreadable: ${err.message})`));
  });
}

import { WebSocket } from 'ws';
import { PROTOCOL_VERSION } from '../../shared/protocol/index.js';
import type { NodeTls } from './node-credentials.js';

/**
 * One websocket session to CloudHub speaking as a node, raw, so that the fuzzer can send what an
 * honest edgecore never would. Frames received are parsed loosely (the fuzzer judges the cloud,
 * it does not trust it either: an unparsable frame is kept as such).
 */
export interface ReceivedFrame {
  content: { kind?: unknown; [key: string]: unknown };
}

export type ConnectionState = 'open' | 'closed';

const ROUTE = { source: 'edgehub', target: 'cloudhub', resource: 'session', operation: 'handshake' };

export class NodeConnection {
  readonly frames: ReceivedFrame[] = [];
  state: ConnectionState = 'open';
  closeCode: number | undefined;
  closeReason = '';
  readonly closed: Promise<void>;
  private listeners: Array<(frame: ReceivedFrame) => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      let frame: ReceivedFrame;
      try {
        frame = JSON.parse(data.toString()) as ReceivedFrame;
      } catch (err) {
        frame = { content: { kind: 'unparsable', message: (err as Error).message } };
      }
      if (typeof frame !== 'object' || frame === null || typeof frame.content !== 'object' || frame.content === null) frame = { content: { kind: 'malformed' } };
      this.frames.push(frame);
      if (this.frames.length > 10_000) this.frames.splice(0, 5_000); // keep memory flat over a long run
      for (const listener of this.listeners) listener(frame);
    });
    ws.on('error', () => undefined); // the close event that follows carries what the fuzzer checks
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.state = 'closed';
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve();
      }),
    );
  }

  static async open(url: string, tls: NodeTls, timeoutMs: number): Promise<NodeConnection> {
    const ws = new WebSocket(url, { ca: tls.caPem, cert: tls.certPem, key: tls.keyPem, maxPayload: 64 * 1024 * 1024, handshakeTimeout: timeoutMs });
    const connection = new NodeConnection(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`CloudHub answered the upgrade with HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
    return connection;
  }

  onFrame(listener: (frame: ReceivedFrame) => void): void {
    this.listeners.push(listener);
  }

  send(data: string | Buffer): boolean {
    if (this.state !== 'open' || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(data);
    return true;
  }

  sendContent(content: Record<string, unknown>): boolean {
    return this.send(JSON.stringify({ id: `n${Math.random().toString(36).slice(2, 10)}`, timestamp: Date.now(), route: ROUTE, content }));
  }

  /** hello (R2) and an inventory (R8), then the welcome. */
  async handshake(inventory: Record<string, string>, timeoutMs: number): Promise<void> {
    this.sendContent({ kind: 'hello', protocolVersion: PROTOCOL_VERSION, buildVersion: 'fuzz' });
    this.sendContent({ kind: 'inventory', objects: inventory });
    await this.waitFor((f) => f.content.kind === 'welcome', timeoutMs, 'welcome');
  }

  /** The first frame (already received or to come) that matches; rejects on close or timeout. */
  waitFor(match: (frame: ReceivedFrame) => boolean, timeoutMs: number, what: string): Promise<ReceivedFrame> {
    const seen = this.frames.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
      const done = (error: Error | undefined, frame?: ReceivedFrame): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        if (error !== undefined) reject(error);
        else resolve(frame as ReceivedFrame);
      };
      const listener = (frame: ReceivedFrame): void => {
        if (match(frame)) done(undefined, frame);
      };
      this.listeners.push(listener);
      void this.closed.then(() => done(new SessionClosedError(`session closed (${this.closeCode} ${this.closeReason}) before ${what}`)));
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

export class SessionClosedError extends Error {
  readonly code = 'SessionClosed';
}

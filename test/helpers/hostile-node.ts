import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { issueCertificate } from '../../certs/index.js';
import { readClusterCa } from './cluster-ca.js';
import { encodeFrame, type Content } from '../../shared/protocol/index.js';

/** A node certificate signed by the cluster CA of a real cloudcore data folder: what any join token gets. */
export async function nodeCertificate(cloudDataDir: string, nodeName: string): Promise<{ caPem: string; certPem: string; keyPem: string }> {
  const ca = await readClusterCa(cloudDataDir);
  const cert = await issueCertificate({ ca, subject: { commonName: `system:node:${nodeName}`, organizations: ['system:nodes'] }, usages: 'client', lifetimeDays: 1 });
  if (!cert.ok) throw new Error(cert.message);
  return { caPem: ca.certPem, certPem: cert.value.certPem, keyPem: cert.value.keyPem };
}

export interface HostileNode {
  ws: WebSocket;
  /** Every frame received, parsed. */
  frames: Array<{ content: Record<string, any> }>;
  closed: Promise<{ code: number; reason: string }>;
  isClosed(): boolean;
  send(content: Content): void;
  /** hello (R2) then an empty inventory (R8): the session is streaming. */
  handshake(protocolVersion?: string): Promise<void>;
  /** Stops reading from the socket: the kernel buffers fill, then the cloud's send buffer. */
  stopReading(): void;
}

const ROUTE = { source: 'edgehub', target: 'cloudhub', resource: 'session', operation: 'handshake' } as const;

/** A raw mTLS websocket speaking as a node, to perform attacks an honest edgecore never would. */
export async function openHostileNode(url: string, creds: { caPem: string; certPem: string; keyPem: string }): Promise<HostileNode> {
  const ws = new WebSocket(url, { ca: creds.caPem, cert: creds.certPem, key: creds.keyPem, maxPayload: 64 * 1024 * 1024 });
  const frames: HostileNode['frames'] = [];
  let isClosed = false;
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as { content: Record<string, any> }));
  ws.on('error', () => undefined); // the close event carries what the test checks
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      isClosed = true;
      resolve({ code, reason: reason.toString() });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const node: HostileNode = {
    ws,
    frames,
    closed,
    isClosed: () => isClosed,
    send: (content) => ws.send(encodeFrame(ROUTE, content)),
    async handshake(protocolVersion = '1.5') {
      node.send({ kind: 'hello', protocolVersion, buildVersion: 'hostile' });
      node.send({ kind: 'inventory', objects: {} });
      const deadline = Date.now() + 30_000;
      while (!frames.some((f) => f.content.kind === 'welcome')) {
        if (isClosed || Date.now() > deadline) throw new Error('no welcome from CloudHub');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stopReading() {
      // ws has no public pause; the socket under it is what a client that does not read looks like.
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    },
  };
  return node;
}

/** Resident memory of a process (Linux /proc), in bytes. */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** An inventory of `count` made-up uids: every one is unknown to the cloud, so each would queue a delete. */
export function fakeInventory(count: number, prefix: string): Record<string, string> {
  const objects: Record<string, string> = {};
  for (let i = 0; i < count; i++) objects[`${prefix}-${i.toString(16).padStart(8, '0')}-0000-0000-000000000000`] = String(i);
  return objects;
}

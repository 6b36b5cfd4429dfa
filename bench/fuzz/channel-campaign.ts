import { channelFrame, type NodeView } from './envelopes.js';
import type { GoodNode } from './good-node.js';
import type { CampaignResult } from './http-campaign.js';
import type { HttpSender } from './http-sender.js';
import { NodeConnection, SessionClosedError } from './node-connection.js';
import type { NodeTls } from './node-credentials.js';
import type { Prng } from './prng.js';
import type { Finding } from './verdict.js';
import type { Watchdog } from './watchdog.js';

/**
 * The channel fuzz run: an authenticated node sends mutated and random frames (case i from
 * `root.fork(i)`); when the cloud closes its session it reconnects and goes on. After every batch
 * a valid probe must be answered on the fuzzed session (else the session hangs), the
 * well-behaved node must get a new object and an ack, and the watchdog checks the process.
 */
export interface ChannelCampaignOptions {
  root: Prng;
  cases: number;
  hubUrl: string;
  tls: NodeTls;
  nodeName: string;
  good: GoodNode;
  admin: HttpSender;
  watchdog: Watchdog;
  checkEvery: number;
  timeoutMs: number;
  onProgress?(done: number, findings: number): void;
  signal?: AbortSignal;
}

/** Probe sequence numbers, far above what the fuzzer's samples use. */
const PROBE_SEQ_BASE = 1_000_000_000_000;
/** Close codes that mean the cloud failed, not the peer (RFC 6455 § 7.4.1: 1011 internal error). */
const SERVER_FAULT_CLOSES = new Set([1011, 1014]);

class FuzzedNode {
  connection: NodeConnection | undefined;
  readonly view: { nodeName: string; pods: Array<NodeView['pods'][number]> };
  reconnects = 0;

  constructor(private readonly o: ChannelCampaignOptions, private readonly findings: Finding[], private readonly statuses: Record<string, number>) {
    this.view = { nodeName: o.nodeName, pods: [] };
  }

  private watch(connection: NodeConnection, caseIndex: () => number): void {
    connection.onFrame((frame) => {
      const c = frame.content;
      if (c.kind === 'upsert') {
        const meta = (c.object as { kind?: string; metadata?: { namespace?: string; name?: string; uid?: string; resourceVersion?: string } } | undefined)?.metadata;
        if (meta?.uid !== undefined && meta.name !== undefined && meta.resourceVersion !== undefined && !this.view.pods.some((p) => p.uid === meta.uid)) {
          this.view.pods.push({ namespace: meta.namespace ?? 'fuzz', name: meta.name, uid: meta.uid, resourceVersion: meta.resourceVersion });
          if (this.view.pods.length > 64) this.view.pods.shift();
        }
      }
      if (c.kind === 'result' || c.kind === 'error') {
        const key = `${String(c.kind)} ${String(c.kind === 'result' ? c.outcome : c.code)}`.slice(0, 40);
        this.statuses[key] = (this.statuses[key] ?? 0) + 1;
      }
      if (c.kind === 'error' && c.code === 'Internal') this.findings.push({ kind: 'serverError', caseIndex: caseIndex(), detail: `error frame Internal: ${String(c.message).slice(0, 300)}` });
    });
    void connection.closed.then(() => {
      const key = `closed ${connection.closeCode ?? '?'}`;
      this.statuses[key] = (this.statuses[key] ?? 0) + 1;
      if (connection.closeCode !== undefined && SERVER_FAULT_CLOSES.has(connection.closeCode)) {
        this.findings.push({ kind: 'serverError', caseIndex: caseIndex(), detail: `session closed ${connection.closeCode} ${connection.closeReason}` });
      }
    });
  }

  /** A session that is open and past its handshake; `first` is sent before the hello, as a fuzz case. */
  async ready(caseIndex: () => number, first?: string | Buffer): Promise<NodeConnection> {
    if (first === undefined && this.connection?.state === 'open') return this.connection;
    this.connection?.close();
    for (let attempt = 0; ; attempt++) {
      try {
        const connection = await NodeConnection.open(this.o.hubUrl, this.o.tls, this.o.timeoutMs);
        this.reconnects++;
        this.watch(connection, caseIndex);
        if (first !== undefined) connection.send(first);
        await connection.handshake({}, this.o.timeoutMs);
        this.connection = connection;
        return connection;
      } catch (err) {
        if (first !== undefined) return this.ready(caseIndex); // the fuzzed first frame spoiled it: dial again, cleanly
        if (attempt >= 3) throw err;
      }
    }
  }
}

export async function runChannelCampaign(o: ChannelCampaignOptions): Promise<CampaignResult & { reconnects: number }> {
  const started = Date.now();
  const findings: Finding[] = [];
  const statuses: Record<string, number> = {};
  const node = new FuzzedNode(o, findings, statuses);
  let index = 0;
  let batch = 0;
  const current = (): number => index;
  while (index < o.cases && o.signal?.aborted !== true) {
    const batchEnd = Math.min(o.cases, index + o.checkEvery);
    for (; index < batchEnd; index++) {
      const prng = o.root.fork(index);
      const preHandshake = prng.chance(0.03);
      const frame = channelFrame(prng, node.view);
      statuses[frame.style] = (statuses[frame.style] ?? 0) + 1;
      try {
        if (preHandshake) await node.ready(current, frame.data);
        else (await node.ready(current)).send(frame.data);
      } catch (err) {
        findings.push({ kind: 'connection', caseIndex: index, detail: `the fuzzing node cannot reconnect: ${(err as Error).message}` });
        break;
      }
    }
    batch++;
    const probeFailure = await probe(node, o, PROBE_SEQ_BASE + batch, current);
    if (probeFailure !== undefined) findings.push({ kind: 'hang', caseIndex: index - 1, detail: probeFailure });
    const disturbed = await o.good.round(o.admin, `sync-${batch}`, o.timeoutMs);
    if (disturbed !== undefined) findings.push({ kind: 'sessionDisturbed', caseIndex: index - 1, detail: disturbed });
    const checks = await o.watchdog.check(index - 1);
    findings.push(...checks);
    o.onProgress?.(index, findings.length);
    if (checks.some((f) => f.kind === 'crash') || findings.some((f) => f.kind === 'connection')) break;
  }
  node.connection?.close();
  return { cases: index, elapsedMs: Date.now() - started, findings, statuses, reconnects: node.reconnects };
}

/** A valid nodeStatus on the fuzzed session must get its result, unless the cloud closed the session. */
async function probe(node: FuzzedNode, o: ChannelCampaignOptions, seq: number, current: () => number): Promise<string | undefined> {
  const connection = node.connection?.state === 'open' ? node.connection : await node.ready(current);
  connection.sendContent({ kind: 'nodeStatus', seq, nodeName: o.nodeName, status: { capacity: { cpu: '2', pods: '110' } } });
  try {
    await connection.waitFor((f) => f.content.kind === 'result' && f.content.seq === seq, o.timeoutMs, `the result of probe ${seq}`);
    return undefined;
  } catch (err) {
    if (err instanceof SessionClosedError) return undefined; // closed for what came before: R34 allows it
    return `the fuzzed session stopped answering: ${(err as Error).message}`;
  }
}

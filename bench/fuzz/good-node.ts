import type { HttpSender } from './http-sender.js';
import { NodeConnection } from './node-connection.js';
import type { NodeTls } from './node-credentials.js';

/**
 * A well-behaved edge session beside the fuzzed one: it acks every object it is sent, as an
 * edge does after its commit (docs/protocol.md R11), and reports pod statuses (R16). The fuzz run
 * checks that it is never closed, and that new objects keep reaching it and its statuses keep
 * being acked while another node sends garbage.
 */
export const SYNC_NAMESPACE = 'fuzz-sync';

export class GoodNode {
  /** uid → resourceVersion of everything it was sent and acked. */
  readonly objects = new Map<string, { namespace: string; name: string; resourceVersion: string }>();
  private seq = 0;

  private constructor(readonly connection: NodeConnection, readonly nodeName: string) {
    connection.onFrame((frame) => {
      if (frame.content.kind !== 'upsert') return;
      const meta = (frame.content.object as { metadata?: { uid?: string; resourceVersion?: string; namespace?: string; name?: string } } | undefined)?.metadata;
      if (meta?.uid === undefined || meta.resourceVersion === undefined) return;
      this.objects.set(meta.uid, { namespace: meta.namespace ?? '', name: meta.name ?? '', resourceVersion: meta.resourceVersion });
      connection.sendContent({ kind: 'ack', items: [{ uid: meta.uid, resourceVersion: meta.resourceVersion }] });
    });
  }

  static async start(hubUrl: string, tls: NodeTls, nodeName: string, timeoutMs: number): Promise<GoodNode> {
    const connection = await NodeConnection.open(hubUrl, tls, timeoutMs);
    const node = new GoodNode(connection, nodeName);
    await connection.handshake({}, timeoutMs);
    return node;
  }

  /**
   * One round: a new pod for this node through the API must arrive (and be acked), and a status
   * for it must be answered `ack`. Returns what went wrong, or undefined.
   */
  async round(admin: HttpSender, name: string, timeoutMs: number): Promise<string | undefined> {
    if (this.connection.state !== 'open') return `the well-behaved session was closed: ${this.connection.closeCode} ${this.connection.closeReason}`;
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: SYNC_NAMESPACE }, spec: { nodeName: this.nodeName, containers: [{ name: 'c', image: 'busybox' }] } };
    const created = await admin.send({ method: 'POST', path: `/api/v1/namespaces/${SYNC_NAMESPACE}/pods`, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(pod)), label: `sync pod ${name}` });
    if (created.kind !== 'response' || created.status !== 201) return `creating ${name}: ${created.kind === 'response' ? `${created.status} ${created.body.slice(0, 200)}` : created.kind}`;
    const uid = (JSON.parse(created.body) as { metadata: { uid: string } }).metadata.uid;
    try {
      await this.connection.waitFor((f) => f.content.kind === 'upsert' && (f.content.object as { metadata?: { uid?: string } } | undefined)?.metadata?.uid === uid, timeoutMs, `the upsert of ${name}`);
      const seq = ++this.seq;
      this.connection.sendContent({ kind: 'podStatus', seq, namespace: SYNC_NAMESPACE, name, uid, status: { phase: 'Running', podIP: '10.42.9.9' } });
      const result = await this.connection.waitFor((f) => f.content.kind === 'result' && f.content.seq === seq, timeoutMs, `the result of ${name}'s status`);
      if (result.content.outcome !== 'ack') return `${name}'s status was answered ${String(result.content.outcome)}: ${String(result.content.message)}`;
    } catch (err) {
      return `the well-behaved session: ${(err as Error).message}`;
    }
    return undefined;
  }

  close(): void {
    this.connection.close();
  }
}

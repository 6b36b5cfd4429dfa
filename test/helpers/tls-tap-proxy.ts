import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { issueCertificate } from '../../certs/index.js';
import { readClusterCa } from './cluster-ca.js';

/**
 * A TLS-terminating man in the middle between an edge and CloudHub, for tests that must see the
 * channel's plaintext (e.g. to prove a secret is never sent). The test holds the cluster CA, so:
 * - towards the edge it presents a serving certificate for 127.0.0.1 signed by that CA, which
 *   the edge trusts like the real hub's;
 * - towards CloudHub it dials with mutual TLS using the node's own client certificate, so the
 *   hub sees that node (protocol.md R1: identity comes only from the certificate).
 * Bytes are piped unchanged both ways and recorded. Server→client websocket frames are unmasked
 * (RFC 6455 §5.1) and the hub does not compress (the edge turns permessage-deflate off), so the
 * cloud→edge record holds the JSON frames as sent.
 */
export interface TlsTapOptions {
  /** The cloud's data folder: the CA is read from its cluster identity (test/helpers/cluster-ca.ts). */
  cloudDataDir: string;
  /** The node's credentials folder (`<E>/edges/<N>/pki/`: ca.crt, node.crt, node.key). */
  nodePkiDir: string;
  /** CloudHub's port on 127.0.0.1. */
  hubPort: number;
}

export class TlsTapProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<[TLSSocket, TLSSocket]>();
  private readonly down: Buffer[] = [];
  private readonly up: Buffer[] = [];
  private paused = false;
  private hubPort: number;
  /** Connections accepted from the edge (handshakes completed), for diagnostics. */
  accepted = 0;

  private constructor(
    private readonly serving: { certPem: string; keyPem: string; caPem: string },
    private readonly client: { certPem: string; keyPem: string; caPem: string },
    hubPort: number,
  ) {
    this.hubPort = hubPort;
  }

  /** Issues the proxy's serving certificate (IP SAN 127.0.0.1) with the cloud's CA. */
  static async create(options: TlsTapOptions): Promise<TlsTapProxy> {
    const ca = await readClusterCa(options.cloudDataDir);
    const caPem = ca.certPem;
    const cert = await issueCertificate({
      ca,
      subject: { commonName: 'tls-tap-proxy' },
      usages: 'server',
      ipAddresses: ['127.0.0.1'],
      dnsNames: ['localhost'],
      lifetimeDays: 1,
    });
    if (!cert.ok) throw new Error(`tap proxy: cannot issue a serving certificate: ${cert.message}`);
    const client = {
      certPem: readFileSync(join(options.nodePkiDir, 'node.crt'), 'utf8'),
      keyPem: readFileSync(join(options.nodePkiDir, 'node.key'), 'utf8'),
      caPem,
    };
    return new TlsTapProxy({ certPem: cert.value.certPem, keyPem: cert.value.keyPem, caPem }, client, options.hubPort);
  }

  /** Listens on 127.0.0.1 (port 0) and returns the port. */
  async start(): Promise<number> {
    const server = createServer({ cert: this.serving.certPem, key: this.serving.keyPem }, (socket) => this.accept(socket));
    // A handshake the edge aborts (e.g. while we are being closed) is not a test failure.
    server.on('tlsClientError', () => undefined);
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return (server.address() as AddressInfo).port;
  }

  /** Where new connections go (e.g. after cloudcore restarted on another port). */
  setTarget(hubPort: number): void {
    this.hubPort = hubPort;
  }

  /** The pause switch: while paused, every connection is cut and new ones are refused. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.dropAll();
  }

  dropAll(): void {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  /** Every plaintext byte CloudHub sent towards the edge so far. */
  cloudToEdge(): Buffer {
    return Buffer.concat(this.down);
  }

  /** Every plaintext byte the edge sent towards CloudHub so far. */
  edgeToCloud(): Buffer {
    return Buffer.concat(this.up);
  }

  async stop(): Promise<void> {
    this.dropAll();
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(edge: TLSSocket): void {
    if (this.paused) {
      edge.destroy();
      return;
    }
    this.accepted++;
    // The hub's certificate names 127.0.0.1 (an IP SAN): Node checks it against the host.
    const hub = connect({ host: '127.0.0.1', port: this.hubPort, ca: this.client.caPem, cert: this.client.certPem, key: this.client.keyPem });
    const pair: [TLSSocket, TLSSocket] = [edge, hub];
    this.pairs.add(pair);
    const forward = (from: TLSSocket, to: TLSSocket, record: Buffer[]) => (chunk: Buffer) => {
      record.push(Buffer.from(chunk));
      // Writes before the hub's handshake finishes are buffered by the TLS socket itself.
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    };
    edge.on('data', forward(edge, hub, this.up));
    hub.on('data', forward(hub, edge, this.down));
    const close = (): void => {
      this.pairs.delete(pair);
      edge.destroy();
      hub.destroy();
    };
    for (const socket of pair) {
      socket.on('close', close);
      socket.on('error', close);
      socket.on('end', close);
    }
  }
}

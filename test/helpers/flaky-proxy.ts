import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A TCP proxy for channel tests that breaks the link on purpose: `setDown(true)` cuts every
 * connection and refuses new ones; chaos mode cuts each connection after a random number of
 * bytes (drawn from the seeded generator, so `seed` replays a run).
 */
export class FlakyProxy {
  readonly random: () => number;
  private server: Server | undefined;
  private readonly pairs = new Set<[Socket, Socket]>();
  private down = false;
  private chaosMaxBytes = 0;
  drops = 0;

  constructor(
    readonly seed: number,
    private targetPort: number,
  ) {
    this.random = seededRandom(seed);
  }

  async start(): Promise<number> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    return (this.server.address() as AddressInfo).port;
  }

  setTarget(port: number): void {
    this.targetPort = port;
  }

  setDown(down: boolean): void {
    this.down = down;
    if (down) this.dropAll();
  }

  /** Each new connection is cut after a random 0..maxBytes bytes (0 turns chaos off). */
  chaos(maxBytes: number): void {
    this.chaosMaxBytes = maxBytes;
  }

  dropAll(): void {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    if (this.down) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    let budget = this.chaosMaxBytes > 0 ? Math.floor(this.random() * this.chaosMaxBytes) : Infinity;
    const cut = (): void => {
      if (!this.pairs.delete(pair)) return;
      this.drops++;
      client.destroy();
      upstream.destroy();
    };
    const forward = (from: Socket, to: Socket) => (chunk: Buffer) => {
      budget -= chunk.length;
      if (budget < 0) return cut();
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    };
    client.on('data', forward(client, upstream));
    upstream.on('data', forward(upstream, client));
    const close = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  }
}

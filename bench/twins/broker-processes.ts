import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkChild, spawnCommand, type Child } from '../channel/child.js';
import { freePort } from '../shared/free-port.js';

const MOSQUITTO = '/usr/sbin/mosquitto';
const BROKER_CHILD = fileURLToPath(new URL('./broker-child.js', import.meta.url));
const READY_TIMEOUT_MS = 20_000;

/** A broker the benchmark started in its own process, with the login it accepts. */
export interface BrokerProcess {
  name: 'embedded' | 'mosquitto';
  url: string;
  child: Child;
  username: string;
  password: string;
  stop(): Promise<void>;
}

export const BENCH_USER = 'bench';
export const BENCH_PASSWORD = 'bench-secret';

/** The embedded broker (edgecore/mqttbroker) alone in a child process. */
export async function startEmbeddedBroker(): Promise<BrokerProcess> {
  const child = forkChild(BROKER_CHILD, [BENCH_USER, BENCH_PASSWORD]);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the embedded broker did not start:\n${child.output()}`)), READY_TIMEOUT_MS);
    let buffered = '';
    child.process.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith('{"url"'));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    void child.exited.then((how) => reject(new Error(`the embedded broker exited (${how}):\n${child.output()}`)));
  });
  return { name: 'embedded', url, child, username: BENCH_USER, password: BENCH_PASSWORD, stop: () => child.stop() };
}

/**
 * mosquitto with our own config on a free loopback port (it cannot bind port 0). Anonymous
 * clients are let in: its access checks are not what is compared. Stopped by its pid.
 */
export async function startMosquitto(): Promise<BrokerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'outpost-bench-mosquitto-'));
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  // Started as root, mosquitto would switch to the `mosquitto` user; it keeps running as us.
  // TCP_NODELAY as on our broker (docs/mqtt-broker.md § TCP_NODELAY), so the baseline is at its best.
  await writeFile(config, [`user ${userInfo().username}`, 'set_tcp_nodelay true', `listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'log_dest stderr', 'log_type error', 'max_queued_messages 100000', ''].join('\n'));
  const child = spawnCommand(MOSQUITTO, ['-c', config]);
  await waitListening(port, child);
  return {
    name: 'mosquitto',
    url: `mqtt://127.0.0.1:${port}`,
    child,
    username: BENCH_USER,
    password: BENCH_PASSWORD,
    stop: async () => {
      await child.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitListening(port: number, child: Child): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (child.process.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port}:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

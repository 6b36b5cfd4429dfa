/**
 * A real mosquitto broker and the real `mosquitto_pub` / `mosquitto_sub` clients, for the device
 * tests (docs/kubeedge-compat.md § MQTT topics). mosquitto cannot bind port 0, so a free loopback
 * port is picked first and the start is retried on a new port if another process took it
 * meanwhile. Readiness is a TCP connect that succeeds, never a fixed wait.
 *
 * This file imports neither cloudcore/ nor edgecore/ (docs/architecture.md § The dependency rule).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { tempDir } from './paths.js';
import { waitFor } from './poll.js';

const MOSQUITTO = '/usr/sbin/mosquitto';
const MOSQUITTO_PUB = 'mosquitto_pub';
const MOSQUITTO_SUB = 'mosquitto_sub';
const MOSQUITTO_PASSWD = 'mosquitto_passwd';

export interface MosquittoOptions {
  /** username → password; written to a password file with `mosquitto_passwd -b`. */
  users?: Record<string, string>;
  /** Anonymous clients are let in unless this is false (then only `users` may connect). */
  allowAnonymous?: boolean;
}

export interface Mosquitto {
  /** mqtt://127.0.0.1:PORT */
  url: string;
  port: number;
  pid: number;
  /** Everything mosquitto logged so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; removes the config folder. Idempotent. */
  stop(): Promise<void>;
}

/** Starts `/usr/sbin/mosquitto -c <config in a temp folder>` on a free loopback port. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = tempDir('mosquitto');
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = writeConfig(dir, port, options);
    try {
      return await launch(dir, config, port);
    } catch (error) {
      lastError = error; // most likely the port was taken between the probe and the bind: try another
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`mosquitto did not start after 5 attempts: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

function writeConfig(dir: string, port: number, options: MosquittoOptions): string {
  // Started as root, mosquitto would switch to the `mosquitto` user and could not read the private
  // temp folder: it keeps running as whoever started it.
  const lines = [`user ${userInfo().username}`, `listener ${port} 127.0.0.1`, `allow_anonymous ${options.allowAnonymous === false ? 'false' : 'true'}`, 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice'];
  if (options.users !== undefined) {
    const passwordFile = join(dir, 'passwords');
    writeFileSync(passwordFile, '', { mode: 0o600 });
    for (const [user, password] of Object.entries(options.users)) execFileSync(MOSQUITTO_PASSWD, ['-b', passwordFile, user, password], { stdio: 'ignore' });
    lines.push(`password_file ${passwordFile}`);
  }
  const file = join(dir, 'mosquitto.conf');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function launch(dir: string, config: string, port: number): Promise<Mosquitto> {
  const child = spawn(MOSQUITTO, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exitedEarly = new AbortController();
  child.once('exit', (code) => exitedEarly.abort(new Error(`mosquitto exited with ${code} before it accepted connections:\n${output}`)));
  try {
    await waitFor(() => canConnect(port), { timeoutMs: 15_000, intervalMs: 50, description: () => `mosquitto to accept on port ${port}; its output:\n${output}`, signal: exitedEarly.signal });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('mosquitto has no pid');
  // mosquitto does not die with its parent: a test run that ends without stop() must not leave it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let stopped: Promise<void> | undefined;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    pid,
    output: () => output,
    stop() {
      stopped ??= (async () => {
        await stopChild(child, exited);
        process.removeListener('exit', killOnExit);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([exited, killed]);
  clearTimeout(timer);
  await exited;
}

/** A loopback port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port === 0 ? reject(new Error('no port assigned')) : resolve(port)));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Who a client logs in as; omitted fields mean an anonymous client. */
export interface MqttLogin {
  username?: string;
  password?: string;
}

/** -h/-p (and -u/-P) for a broker URL mqtt://host:port. */
function brokerArgs(url: string, login: MqttLogin): string[] {
  const parsed = new URL(url);
  const args = ['-h', parsed.hostname, '-p', parsed.port === '' ? '1883' : parsed.port, '-V', 'mqttv311'];
  if (login.username !== undefined) args.push('-u', login.username);
  if (login.password !== undefined) args.push('-P', login.password);
  return args;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `mosquitto_pub -t TOPIC -m MESSAGE` (QoS 1 unless said, so the exit comes after the broker's
 * PUBACK). With `lines`, every line is one message (`-l`, read from stdin).
 */
export function mosquittoPub(url: string, topic: string, message: string | { lines: string[] }, options: MqttLogin & { qos?: 0 | 1 | 2; timeoutMs?: number } = {}): Promise<ProcessResult> {
  const payload = typeof message === 'string' ? ['-m', message] : ['-l'];
  const args = [...brokerArgs(url, options), '-q', String(options.qos ?? 1), '-t', topic, ...payload];
  return new Promise((resolve, reject) => {
    const child = spawn(MOSQUITTO_PUB, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A client refused at once may exit before it reads its stdin: the write fails with EPIPE,
    // which is part of the outcome, not an error of the test.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => (stderr += `(stdin: ${error.code ?? error.message})\n`));
    child.stdin.end(typeof message === 'string' ? '' : `${message.lines.join('\n')}\n`);
  });
}

/** One message a subscriber received. */
export interface ReceivedMessage {
  topic: string;
  payload: string;
}

export interface MosquittoSubscription {
  /**
   * Resolves once the broker answered the SUBSCRIBE: the granted QoS of each filter (128 = refused),
   * or undefined if the client ended before any SUBACK (e.g. refused at CONNECT).
   */
  subscribed: Promise<number[] | undefined>;
  /** The messages received so far, in order. */
  messages(): ReceivedMessage[];
  /** What mosquitto_sub wrote to stderr so far. */
  stderr(): string;
  /** Resolves when mosquitto_sub exits (after `count` messages, the timeout, or stop()). */
  done: Promise<ProcessResult & { messages: ReceivedMessage[] }>;
  /** Waits until a received message satisfies `match` and returns it. */
  waitFor(match: (message: ReceivedMessage) => boolean, timeoutMs?: number, what?: string): Promise<ReceivedMessage>;
  /** SIGTERM to the client (then SIGKILL); resolves when it has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * `mosquitto_sub -v -d -t FILTER… [-C count] [-W timeoutSeconds]`: -v gives `topic payload` lines,
 * -d the SUBACK line, so a test publishes only after `subscribed` (no fixed wait). Payloads are
 * expected on one line (JSON).
 */
export function mosquittoSub(url: string, filters: string[], options: MqttLogin & { count?: number; timeoutSeconds?: number; qos?: 0 | 1 | 2 } = {}): MosquittoSubscription {
  const args = [...brokerArgs(url, options), '-v', '-d', '-q', String(options.qos ?? 1), ...filters.flatMap((f) => ['-t', f])];
  if (options.count !== undefined) args.push('-C', String(options.count));
  if (options.timeoutSeconds !== undefined) args.push('-W', String(options.timeoutSeconds));
  // stdout to a pipe is block-buffered by stdio: line-buffered (coreutils stdbuf), every line
  // (the SUBACK, each message) arrives as it is printed.
  const child = spawn('stdbuf', ['-oL', MOSQUITTO_SUB, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const received: ReceivedMessage[] = [];
  let stdout = '';
  let stderr = '';
  let pending = '';
  let resolveSubscribed: (granted: number[] | undefined) => void = () => undefined;
  const subscribed = new Promise<number[] | undefined>((resolve) => (resolveSubscribed = resolve));
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString();
    stdout += text;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const onLine = (line: string): void => {
    // Debug lines (-d) start with "Client " or "Subscribed (mid: n): q, q"; everything else is a message.
    const suback = /^Subscribed \(mid: \d+\): (.*)$/.exec(line);
    if (suback !== null) {
      resolveSubscribed((suback[1] ?? '').split(',').map((q) => Number(q.trim())));
      return;
    }
    if (line.startsWith('Client ') || line === '') return;
    const space = line.indexOf(' ');
    received.push(space < 0 ? { topic: line, payload: '' } : { topic: line.slice(0, space), payload: line.slice(space + 1) });
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const done = new Promise<ProcessResult & { messages: ReceivedMessage[] }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending !== '') onLine(pending);
      pending = '';
      resolveSubscribed(undefined);
      resolve({ code, stdout, stderr, messages: [...received] });
    });
  });
  let stopped: Promise<void> | undefined;
  return {
    subscribed,
    messages: () => [...received],
    stderr: () => stderr,
    done,
    async waitFor(match, timeoutMs = 15_000, what = 'a matching message') {
      return waitFor(() => received.find(match), {
        timeoutMs,
        intervalMs: 50,
        description: () => `${what} on ${filters.join(', ')}; received ${received.length}: ${received.slice(-5).map((m) => `${m.topic} ${m.payload}`).join(' | ')}; stderr: ${stderr}`,
      });
    },
    stop() {
      stopped ??= (async () => {
        await stopChild(child, exited, 2_000);
        await done;
      })();
      return stopped;
    },
  };
}

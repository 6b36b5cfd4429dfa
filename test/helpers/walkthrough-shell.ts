import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './poll.js';

/**
 * Runs README.md's walk-through blocks as a user would in their terminals
 * (docs/readme-walkthrough.md): every block in bash, in a network namespace of the test's own, so
 * the README's default ports (6443, 10000, 10002, 10550, 1883) and pod range collide with nothing
 * else on the machine. Variables a block sets and the folder it moves to carry over to the next
 * block, as in one terminal; background blocks run in process groups of their own, and a stop is
 * Ctrl-C: SIGINT to that group.
 */
export interface WalkthroughShell {
  run(script: string, timeoutMs?: number): Promise<{ code: number | null; output: string }>;
  startBackground(name: string, script: string): void;
  waitReady(name: string, until: string, timeoutMs: number): Promise<void>;
  stop(name: string, timeoutMs: number): Promise<number | null>;
  /** The last lines each background process printed, for a failure message. */
  backgroundLogs(): string;
  close(): Promise<void>;
}

export interface WalkthroughShellOptions {
  netns: string;
  workDir: string;
  /** Scripts, state and logs of the runner itself, apart from the user's folder. */
  plumbingDir: string;
  env: NodeJS.ProcessEnv;
}

/** A network namespace with its loopback up; `ip netns del` removes it. */
export function createNetns(name: string): void {
  for (const args of [['netns', 'add', name], ['-n', name, 'link', 'set', 'lo', 'up']]) {
    const result = spawnSync('ip', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr}`);
  }
}

export function deleteNetns(name: string): void {
  spawnSync('ip', ['netns', 'del', name]);
}

// Variables the block set are those a fresh bash did not have; they are written back as
// `declare -p` lines, with the folder the block ended in.
const SAVE_STATE = (state: string) => `
set +e
{ for __walk_v in $(compgen -v); do
    case "$__walk_before" in *" $__walk_v "*) ;; *) [[ $__walk_v == __walk_* ]] || declare -p "$__walk_v" ;; esac
  done
  printf 'cd %q\\n' "$PWD"; } > '${state}.new' && mv '${state}.new' '${state}'
`;

export function createWalkthroughShell(options: WalkthroughShellOptions): WalkthroughShell {
  const state = join(options.plumbingDir, 'state.sh');
  writeFileSync(state, `cd '${options.workDir}'\n`);
  const backgrounds = new Map<string, { child: ChildProcess; log: string; exit: Promise<number | null> }>();
  const logs: Array<{ name: string; log: string }> = [];
  let scripts = 0;

  const scriptFile = (body: string): string => {
    const file = join(options.plumbingDir, `block-${++scripts}.sh`);
    writeFileSync(file, body);
    return file;
  };
  const inNetns = (file: string) => ['--net=/run/netns/' + options.netns, 'bash', file];

  // Longer than the longest wait a block asks for (kubectl's --timeout=300s), so kubectl says what it waited for.
  const run: WalkthroughShell['run'] = (script, timeoutMs = 420_000) => {
    const file = scriptFile(`__walk_before=" $(compgen -v | tr '\\n' ' ') "\nsource '${state}'\nset -eo pipefail\n${script}\n${SAVE_STATE(state)}`);
    return new Promise((resolve, reject) => {
      const child = spawn('nsenter', inNetns(file), { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let output = '';
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        writeFileSync(`${file}.out`, output);
        resolve({ code: code ?? exitCodeOfSignal(signal), output: signal === 'SIGKILL' ? `${output}\n(killed after ${timeoutMs} ms)` : output });
      });
    });
  };

  return {
    run,
    startBackground(name, script) {
      const log = join(options.plumbingDir, `${name}-${++scripts}.log`);
      const fd = openSync(log, 'a');
      const file = scriptFile(`source '${state}'\n${script}\n`);
      const child = spawn('nsenter', inNetns(file), { env: options.env, stdio: ['ignore', fd, fd], detached: true });
      closeSync(fd);
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? exitCodeOfSignal(signal))));
      backgrounds.set(name, { child, log, exit });
      logs.push({ name, log });
    },
    async waitReady(name, until, timeoutMs) {
      const background = backgrounds.get(name);
      if (background === undefined) throw new Error(`no background step ${name}`);
      await waitFor(
        async () => {
          if (background.child.exitCode !== null) throw new Error(`${name} exited with ${background.child.exitCode} before it was ready`);
          return (await run(until, 30_000)).code === 0;
        },
        { timeoutMs, intervalMs: 500, description: `${name} to be ready (${until})` },
      );
    },
    async stop(name, timeoutMs) {
      const background = backgrounds.get(name);
      if (background === undefined) throw new Error(`no background step ${name}`);
      backgrounds.delete(name);
      signalGroup(background.child, 'SIGINT');
      const timer = setTimeout(() => signalGroup(background.child, 'SIGKILL'), timeoutMs);
      const code = await background.exit;
      clearTimeout(timer);
      return code;
    },
    backgroundLogs() {
      return logs
        .map(({ name, log }) => `--- ${name} (last lines of ${log}) ---\n${existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-40).join('\n') : ''}`)
        .join('\n');
    },
    async close() {
      for (const [name] of [...backgrounds]) await this.stop(name, 20_000);
    },
  };
}

/** A shell's exit status for a process that died of a signal (128 + its number). */
function exitCodeOfSignal(signal: NodeJS.Signals | null): number | null {
  return signal === null ? null : 128 + (constants.signals[signal] ?? 0);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch (err) {
    // ESRCH: the group is gone already, which is what the signal was for.
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

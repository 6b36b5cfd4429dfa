import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readKubeconfig } from '../api/kubeconfig.js';
import { stopAllChildren } from '../channel/child.js';
import { startCloud } from '../channel/cloud-launcher.js';
import { freePort } from '../shared/free-port.js';
import { machineFacts } from '../shared/machine-facts.js';
import { describeFinding, FUZZ_INTERFACES, runFuzz, type FuzzInterface, type FuzzReport } from './fuzz-run.js';
import { fuzzSeed } from './prng.js';
import { mib } from './watchdog.js';

export const FUZZ_BENCHMARK_USAGE = `fuzz [--cases N] [--seed S] [--interface channel|api|query]
  The long fuzz run (docs/limits.md § Fuzzing): N cases (default 100,000) per interface against
  a fresh real cloudcore each: mutated channel frames from an authenticated node beside a
  well-behaved one, mutated API bodies (JSON, YAML, protobuf; create, update, four patch types,
  apply), random paths and query strings. Prints cases, cases/s, crashes (process deaths, 5xx,
  hangs over 30 s) and cloudcore's peak RSS; exits 1 on any finding. The seed (FUZZ_SEED or
  --seed, else random) is printed; the same seed replays the same cases.`;

/** Kinds of finding the "crashes" column counts: the process died, answered 5xx, or stopped answering. */
const CRASH_KINDS = new Set(['crash', 'serverError', 'hang', 'connection', 'unhealthy']);

export async function runFuzzBenchmark(argv: string[], signal: AbortSignal): Promise<number> {
  const parsed = parseArgs({ args: argv, options: { cases: { type: 'string' }, seed: { type: 'string' }, interface: { type: 'string' } }, allowPositionals: false });
  const cases = Number(parsed.values.cases ?? 100_000);
  const which = parsed.values.interface;
  if (!Number.isInteger(cases) || cases < 1 || (which !== undefined && !FUZZ_INTERFACES.includes(which as FuzzInterface))) {
    console.error(`--cases must be a positive integer and --interface one of ${FUZZ_INTERFACES.join(', ')}\nusage: ${FUZZ_BENCHMARK_USAGE}`);
    return 2;
  }
  const seed = fuzzSeed(parsed.values.seed !== undefined ? { FUZZ_SEED: parsed.values.seed } : process.env);
  const interfaces = which === undefined ? FUZZ_INTERFACES : [which as FuzzInterface];
  const progress = (text: string): void => console.error(`[bench fuzz ${new Date().toISOString().slice(11, 19)}] ${text}`);
  const onAbort = (): void => void stopAllChildren();
  signal.addEventListener('abort', onAbort, { once: true });
  console.log(`fuzz seed ${seed} (replay: npm run bench -- fuzz --seed ${seed}), ${cases} cases per interface`);
  console.log(`machine: ${JSON.stringify(machineFacts())}`);
  const reports: FuzzReport[] = [];
  try {
    for (const name of interfaces) {
      const dir = await mkdtemp(join(tmpdir(), `outpost-bench-fuzz-${name}-`));
      try {
        progress(`${name}: starting cloudcore`);
        const cloud = await startCloud({ dataDir: dir, ports: { api: await freePort(), hub: await freePort() }, timeoutMs: 60_000, signal });
        if (!cloud.ok) throw new Error(cloud.message);
        const creds = await readKubeconfig(cloud.value.endpoints.kubeconfig);
        if (!creds.ok) throw new Error(creds.message);
        const target = {
          pid: cloud.value.child.pid, dataDir: dir, hubUrl: cloud.value.endpoints.hub,
          api: { server: creds.value.server, ca: Buffer.from(creds.value.caPem), cert: Buffer.from(creds.value.certPem), key: Buffer.from(creds.value.keyPem) },
        };
        let lastPrint = 0;
        const report = await runFuzz(target, name, {
          seed, cases, signal,
          onProgress: (done, findings) => {
            if (Date.now() - lastPrint < 10_000) return;
            lastPrint = Date.now();
            progress(`${name}: ${done}/${cases} cases, ${findings} findings`);
          },
        });
        reports.push(report);
        for (const f of report.findings.slice(0, 20)) console.log(describeFinding(report, f));
        if (report.findings.length > 20) console.log(`… and ${report.findings.length - 20} more findings for ${name}`);
        await cloud.value.child.stop('SIGTERM');
      } finally {
        await stopAllChildren();
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  printTable(reports);
  console.log(JSON.stringify({ seed, reports: reports.map((r) => ({ interface: r.interface, cases: r.cases, casesPerSecond: rateOf(r), crashes: crashes(r), findings: r.findings.length, peakRssBytes: r.peakRssBytes, statuses: r.statuses })) }));
  return reports.every((r) => r.findings.length === 0) && reports.length === interfaces.length ? 0 : 1;
}

const rateOf = (r: FuzzReport): number => Math.round(r.cases / Math.max(r.elapsedMs / 1000, 0.001));
const crashes = (r: FuzzReport): number => r.findings.filter((f) => CRASH_KINDS.has(f.kind)).length;

function printTable(reports: readonly FuzzReport[]): void {
  const rows = [['interface', 'cases', 'cases/s', 'crashes (goal 0)', 'other findings', `peak RSS (bound ${mib(reports[0]?.maxRssBytes ?? 0)})`, 'answers']];
  for (const r of reports) {
    rows.push([r.interface, String(r.cases), String(rateOf(r)), String(crashes(r)), String(r.findings.length - crashes(r)), mib(r.peakRssBytes), Object.entries(r.statuses).map(([k, v]) => `${k} ${v}`).join(', ')]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

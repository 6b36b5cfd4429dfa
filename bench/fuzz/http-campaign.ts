import type { HttpCase } from './api-bodies.js';
import type { HttpSender } from './http-sender.js';
import type { Prng } from './prng.js';
import { judge, type Finding } from './verdict.js';
import type { Watchdog } from './watchdog.js';

/**
 * Runs `cases` HTTP fuzz cases, `parallel` in flight, case i generated from `root.fork(i)` so it
 * replays alone; the watchdog checks the process between batches. Stops early on a crash.
 */
export interface CampaignOptions {
  root: Prng;
  cases: number;
  parallel: number;
  makeCase(prng: Prng, index: number): HttpCase;
  sender: HttpSender;
  watchdog: Watchdog;
  /** Cases between two watchdog checks. */
  checkEvery: number;
  /** Work between two batches, after the watchdog's check (the fixture's reset, say). */
  between?(done: number): Promise<void>;
  /** Called after every check with the cases done so far (progress lines). */
  onProgress?(done: number, findings: number): void;
  signal?: AbortSignal;
}

export interface CampaignResult {
  cases: number;
  elapsedMs: number;
  /** Every finding, with the index of its case. */
  findings: Finding[];
  /** Answers by status class, to show the cases reached past the first checks. */
  statuses: Record<string, number>;
}

export async function runHttpCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const started = Date.now();
  const findings: Finding[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let done = 0;
  let crashed = false;
  while (next < o.cases && !crashed && o.signal?.aborted !== true) {
    const batchEnd = Math.min(o.cases, next + o.checkEvery);
    await Promise.all(
      Array.from({ length: o.parallel }, async () => {
        while (next < batchEnd) {
          const index = next++;
          const c = o.makeCase(o.root.fork(index), index);
          const outcome = await o.sender.send(c);
          const key = outcome.kind === 'response' ? `${Math.floor(outcome.status / 100)}xx` : outcome.kind;
          statuses[key] = (statuses[key] ?? 0) + 1;
          const finding = judge(c, outcome, index);
          if (finding !== undefined) findings.push(finding);
          done++;
        }
      }),
    );
    const checks = await o.watchdog.check(next - 1);
    findings.push(...checks);
    crashed = checks.some((f) => f.kind === 'crash');
    if (!crashed && next < o.cases) await o.between?.(done);
    o.onProgress?.(done, findings.length);
  }
  return { cases: done, elapsedMs: Date.now() - started, findings, statuses };
}

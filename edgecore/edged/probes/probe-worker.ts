/**
 * One probe of one container instance, kubelet's prober worker (pkg/kubelet/prober/worker.go):
 * waits initialDelaySeconds from the container's start, then probes every periodSeconds. A result
 * changes only after failureThreshold failures or successThreshold successes in a row. Liveness
 * and readiness wait until the container has started (its startup probe succeeded); a startup
 * probe stops once it has. After a liveness or startup failure the worker holds: the container is
 * about to be killed, and its replacement gets workers of its own.
 */
import type { CheckOutcome } from './check-result.js';
import type { ProbeClock } from './clock.js';
import type { ProbeSpec, ProbeType } from './probe-spec.js';

export type ProbeResult = 'success' | 'failure' | 'unknown';

export interface ProbeWorkerOptions {
  type: ProbeType;
  spec: ProbeSpec;
  /** When the container instance started (ms since the epoch). */
  startedAtMs: number;
  clock: ProbeClock;
  /** Runs the probe's handler once. */
  check: () => Promise<CheckOutcome>;
  /** Whether the instance counts as started (no startup probe, or it succeeded). */
  started: () => boolean;
  /** Called when the kept result changes. */
  onResult: (result: ProbeResult) => void;
  /** Every run that failed, errored or warned, for kubelet's Unhealthy / ProbeWarning events. */
  onOutcome: (outcome: CheckOutcome) => void;
}

/** kubelet's maxProbeRetries: a run that errors is tried again at once, up to 3 times in all. */
const MAX_TRIES = 3;

/** kubelet's initial values: readiness fails until a probe passes, liveness passes until one fails. */
function initialResult(type: ProbeType): ProbeResult {
  return type === 'readiness' ? 'failure' : type === 'liveness' ? 'success' : 'unknown';
}

export class ProbeWorker {
  result: ProbeResult;
  private lastResult: ProbeResult = 'unknown';
  private resultRun = 0;
  private onHold = false;
  private stopped = false;
  private running = false;
  private timer: unknown;

  constructor(private readonly options: ProbeWorkerOptions) {
    this.result = initialResult(options.type);
  }

  start(): void {
    const { clock, spec, startedAtMs } = this.options;
    this.schedule(startedAtMs + spec.initialDelaySeconds * 1000 - clock.now());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.options.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Probes now instead of at the next period (readiness once the container has started). */
  trigger(): void {
    if (this.stopped || this.running) return;
    const { clock, spec, startedAtMs } = this.options;
    if (clock.now() < startedAtMs + spec.initialDelaySeconds * 1000) return;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.options.clock.clearTimer(this.timer);
    this.timer = this.options.clock.setTimer(() => {
      this.timer = undefined;
      void this.tick();
    }, Math.max(0, delayMs));
  }

  private async tick(): Promise<void> {
    const begun = this.options.clock.now();
    this.running = true;
    try {
      await this.probeOnce();
    } finally {
      this.running = false;
    }
    this.schedule(begun + this.options.spec.periodSeconds * 1000 - this.options.clock.now());
  }

  /** kubelet's doProbe, for a running container instance. */
  private async probeOnce(): Promise<void> {
    const { type, spec } = this.options;
    if (this.onHold) return;
    const started = this.options.started();
    if (type === 'startup' ? started : !started) return;
    let outcome: CheckOutcome = { result: 'error', message: 'not run' };
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      outcome = await this.options.check();
      if (this.stopped) return;
      if (outcome.result !== 'error') break;
    }
    if (outcome.result !== 'success') this.options.onOutcome(outcome);
    // An errored probe says nothing about the container: its result is thrown away.
    if (outcome.result === 'error') return;
    const result: ProbeResult = outcome.result === 'failure' ? 'failure' : 'success';
    if (this.lastResult === result) this.resultRun++;
    else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    if ((result === 'failure' && this.resultRun < spec.failureThreshold) || (result === 'success' && this.resultRun < spec.successThreshold)) return;
    const changed = this.result !== result;
    this.result = result;
    if (result === 'failure' && type !== 'readiness') {
      this.onHold = true;
      this.resultRun = 0;
    }
    if (changed) this.options.onResult(result);
  }
}

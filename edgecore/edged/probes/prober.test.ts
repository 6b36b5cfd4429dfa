/**
 * The prober against a fake clock and fake checks: timing (initial delay, period), thresholds,
 * readiness transitions, startup gating, per-instance results, and kubelet's event messages.
 */
import { describe, expect, it } from 'vitest';
import type { CheckOutcome } from './check-result.js';
import type { ProbeClock } from './clock.js';
import { createProberManager, type ProbedPod, type ProbeEvent } from './prober-manager.js';
import { parseProbe, type ProbeType } from './probe-spec.js';
import type { CheckRunners } from './run-check.js';

class FakeClock implements ProbeClock {
  private time = 1_000_000;
  private timers: { due: number; callback: () => void; id: number }[] = [];
  private nextId = 0;
  now = (): number => this.time;
  setTimer = (callback: () => void, delayMs: number): unknown => {
    const id = this.nextId++;
    this.timers.push({ due: this.time + delayMs, callback, id });
    return id;
  };
  clearTimer = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  /** Moves time forward, running each timer due on the way (and the checks it starts). */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await settle();
      const next = [...this.timers].sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (next === undefined || next.due > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.due);
      next.callback();
    }
    this.time = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** exec checks answered by a per-command script; every call is counted with its time. */
function fakeRunners(clock: FakeClock, answer: (command: string) => CheckOutcome) {
  const calls: { command: string; at: number }[] = [];
  const runners: CheckRunners = {
    exec: async (_id, cmd) => {
      const command = cmd.join(' ');
      calls.push({ command, at: clock.now() });
      const outcome = answer(command);
      // As the CRI client answers: containerd's own ExecSync timeout is code Timeout (cri/cri-client.ts).
      if (outcome.result === 'error') return { ok: false, code: outcome.message.includes('deadline exceeded') ? 'Timeout' : 'Internal', message: outcome.message };
      return { ok: true, value: { stdout: outcome.output, stderr: '', exitCode: outcome.result === 'failure' ? 1 : 0 } };
    },
    http: async () => ({ result: 'success', output: '' }),
    tcp: async () => ({ result: 'success', output: '' }),
    grpc: async () => ({ result: 'success', output: '' }),
  };
  return { runners, calls };
}

function probe(type: ProbeType, command: string, extra: Record<string, unknown> = {}) {
  const parsed = parseProbe({ exec: { command: command.split(' ') }, ...extra }, type);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

function podWith(probes: ProbedPod['containers'][number]['probes'], running: { id: string; startedAtMs: number } | undefined): ProbedPod {
  return { uid: 'u1', name: 'p', namespace: 'default', podIP: '10.0.0.2', containers: [{ name: 'c', fieldPath: 'spec.containers{c}', ports: [], probes, running }] };
}

function setup(answer: (command: string) => CheckOutcome) {
  const clock = new FakeClock();
  const { runners, calls } = fakeRunners(clock, answer);
  const changes: string[] = [];
  const events: ProbeEvent[] = [];
  const manager = createProberManager({ runners, clock, onChange: (uid) => changes.push(uid), onEvent: (e) => events.push(e) });
  return { clock, calls, changes, events, manager };
}

const ok = (output = ''): CheckOutcome => ({ result: 'success', output });
const bad = (output: string): CheckOutcome => ({ result: 'failure', output });

describe('prober manager', () => {
  it('waits initialDelaySeconds from the start, then probes every periodSeconds', async () => {
    const t = setup(() => ok());
    const startedAtMs = t.clock.now();
    t.manager.syncPod(podWith({ liveness: probe('liveness', 'check', { initialDelaySeconds: 5, periodSeconds: 3 }) }, { id: 'c1', startedAtMs }));
    await t.clock.advance(4_999);
    expect(t.calls).toHaveLength(0);
    await t.clock.advance(1);
    expect(t.calls.map((c) => c.at - startedAtMs)).toEqual([5_000]);
    await t.clock.advance(9_000);
    expect(t.calls.map((c) => c.at - startedAtMs)).toEqual([5_000, 8_000, 11_000, 14_000]);
  });

  it('defaults: period 10 s, and liveness fails only after failureThreshold (3) failures in a row', async () => {
    let healthy = true;
    const t = setup(() => (healthy ? ok() : bad("cat: can't open '/tmp/healthy': No such file or directory\n")));
    t.manager.syncPod(podWith({ liveness: probe('liveness', 'cat /tmp/healthy') }, { id: 'c1', startedAtMs: t.clock.now() }));
    await t.clock.advance(0);
    expect(t.calls).toHaveLength(1);
    healthy = false;
    await t.clock.advance(20_000);
    expect(t.calls).toHaveLength(3);
    expect(t.manager.failedProbe('c1')).toBeUndefined();
    await t.clock.advance(10_000);
    expect(t.manager.failedProbe('c1')).toBe('liveness');
    expect(t.changes).toEqual(['u1']);
    expect(t.events[0]).toMatchObject({ type: 'Warning', reason: 'Unhealthy', fieldPath: 'spec.containers{c}', message: "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n" });
    expect(t.events).toHaveLength(3);
    // Held after the failure: the container is about to be killed, so it is not probed again.
    await t.clock.advance(60_000);
    expect(t.calls).toHaveLength(4);
  });

  it('a new container instance starts over with fresh results', async () => {
    const t = setup(() => bad('down'));
    const liveness = probe('liveness', 'check', { periodSeconds: 1, failureThreshold: 1 });
    t.manager.syncPod(podWith({ liveness }, { id: 'c1', startedAtMs: t.clock.now() }));
    await t.clock.advance(0);
    expect(t.manager.failedProbe('c1')).toBe('liveness');
    t.manager.syncPod(podWith({ liveness }, undefined));
    expect(t.manager.failedProbe('c1')).toBeUndefined();
    t.manager.syncPod(podWith({ liveness }, { id: 'c2', startedAtMs: t.clock.now() + 100 }));
    expect(t.manager.failedProbe('c2')).toBeUndefined();
    await t.clock.advance(100);
    expect(t.manager.failedProbe('c2')).toBe('liveness');
  });

  it('readiness: not ready until it passes, unready after failureThreshold failures, ready again after successThreshold successes', async () => {
    let up = false;
    const t = setup(() => (up ? ok() : bad('')));
    t.manager.syncPod(podWith({ readiness: probe('readiness', 'ready', { periodSeconds: 1, failureThreshold: 2, successThreshold: 2 }) }, { id: 'c1', startedAtMs: t.clock.now() }));
    expect(t.manager.flags('c1')).toEqual({ started: true, ready: false });
    up = true;
    await t.clock.advance(0);
    expect(t.manager.flags('c1').ready).toBe(false);
    await t.clock.advance(1_000);
    expect(t.manager.flags('c1').ready).toBe(true);
    up = false;
    await t.clock.advance(1_000);
    expect(t.manager.flags('c1').ready).toBe(true);
    await t.clock.advance(1_000);
    expect(t.manager.flags('c1').ready).toBe(false);
    up = true;
    await t.clock.advance(2_000);
    expect(t.manager.flags('c1').ready).toBe(true);
    // Each change asked for a sync; a failing readiness probe never asks for a kill.
    expect(t.changes).toEqual(['u1', 'u1', 'u1']);
    expect(t.manager.failedProbe('c1')).toBeUndefined();
    expect(t.events.every((e) => e.message.startsWith('Readiness probe failed: '))).toBe(true);
  });

  it('a container without probes is started and ready', () => {
    const t = setup(() => ok());
    t.manager.syncPod(podWith({}, { id: 'c1', startedAtMs: t.clock.now() }));
    expect(t.manager.flags('c1')).toEqual({ started: true, ready: true });
  });

  it('a startup probe holds off liveness and readiness until it passes, then readiness runs at once', async () => {
    let started = false;
    const t = setup((command) => (command === 'startup' ? (started ? ok() : bad('not yet')) : command === 'live' ? bad('would kill') : ok()));
    t.manager.syncPod(
      podWith(
        {
          startup: probe('startup', 'startup', { periodSeconds: 1, failureThreshold: 100 }),
          liveness: probe('liveness', 'live', { periodSeconds: 10, failureThreshold: 1 }),
          readiness: probe('readiness', 'ready', { periodSeconds: 10 }),
        },
        { id: 'c1', startedAtMs: t.clock.now() },
      ),
    );
    await t.clock.advance(30_000);
    expect(t.calls.every((c) => c.command === 'startup')).toBe(true);
    expect(t.manager.flags('c1')).toEqual({ started: false, ready: false });
    expect(t.manager.failedProbe('c1')).toBeUndefined();
    started = true;
    await t.clock.advance(1_000);
    expect(t.manager.flags('c1')).toEqual({ started: true, ready: true });
    const startupCalls = t.calls.filter((c) => c.command === 'startup').length;
    await t.clock.advance(20_000);
    // The startup probe stopped; liveness now runs (and fails here).
    expect(t.calls.filter((c) => c.command === 'startup')).toHaveLength(startupCalls);
    expect(t.manager.failedProbe('c1')).toBe('liveness');
  });

  it('a startup probe that fails past its threshold asks for the kill', async () => {
    const t = setup(() => bad(''));
    t.manager.syncPod(podWith({ startup: probe('startup', 'startup', { periodSeconds: 1, failureThreshold: 3 }) }, { id: 'c1', startedAtMs: t.clock.now() }));
    await t.clock.advance(1_000);
    expect(t.manager.failedProbe('c1')).toBeUndefined();
    await t.clock.advance(1_000);
    expect(t.manager.failedProbe('c1')).toBe('startup');
    expect(t.events[0]?.message).toBe('Startup probe failed: ');
  });

  it('throws away a run that errored (after kubelet\'s three tries), with an "errored" event', async () => {
    const t = setup(() => ({ result: 'error', message: 'container not found' }));
    t.manager.syncPod(podWith({ liveness: probe('liveness', 'check', { periodSeconds: 1, failureThreshold: 1 }) }, { id: 'c1', startedAtMs: t.clock.now() }));
    await t.clock.advance(0);
    expect(t.calls).toHaveLength(3);
    expect(t.manager.failedProbe('c1')).toBeUndefined();
    expect(t.events[0]?.message).toBe('Liveness probe errored: container not found');
  });

  it('an exec probe past its timeout is a failure, as kubelet words it', async () => {
    const t = setup(() => ({ result: 'error', message: 'failed to exec in container: timeout 1s exceeded: context deadline exceeded' }));
    t.manager.syncPod(podWith({ readiness: probe('readiness', 'sleep 5', { periodSeconds: 1 }) }, { id: 'c1', startedAtMs: t.clock.now() }));
    await t.clock.advance(0);
    expect(t.calls).toHaveLength(1);
    expect(t.events[0]?.message).toBe('Readiness probe failed: command "sleep 5" timed out');
  });

  it('removePod stops every worker', async () => {
    const t = setup(() => ok());
    t.manager.syncPod(podWith({ liveness: probe('liveness', 'check', { periodSeconds: 1 }) }, { id: 'c1', startedAtMs: t.clock.now() }));
    await t.clock.advance(0);
    t.manager.removePod('u1');
    await t.clock.advance(10_000);
    expect(t.calls).toHaveLength(1);
  });
});

describe('parseProbe', () => {
  it("fills in Kubernetes' defaults and forces successThreshold 1 for liveness and startup", () => {
    const p = parseProbe({ httpGet: { port: 'http', path: 'healthz' }, successThreshold: 3 }, 'liveness');
    expect(p.ok && p.value).toMatchObject({ initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(p.ok && p.value.handler).toMatchObject({ kind: 'httpGet', scheme: 'HTTP', path: '/healthz', port: 'http' });
    const r = parseProbe({ tcpSocket: { port: 80 }, successThreshold: 3 }, 'readiness');
    expect(r.ok && r.value.successThreshold).toBe(3);
    expect(parseProbe({ exec: { command: ['a'] }, tcpSocket: { port: 1 } }, 'readiness').ok).toBe(false);
  });
});

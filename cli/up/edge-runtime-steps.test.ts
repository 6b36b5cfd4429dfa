import { describe, expect, it } from 'vitest';
import { createEdgeRuntimeSteps } from './edge-runtime-steps.js';

describe("an edge's runtime steps as outpost up waits for them", () => {
  it('resolves at once for a step already done, and later for one still to come', async () => {
    const steps = createEdgeRuntimeSteps();
    steps.record({ step: 'containerd', phase: 'done', detail: 'containerd://1.6' });
    const signal = new AbortController().signal;
    expect(await steps.waitFor('containerd', { timeoutMs: 1000, signal })).toEqual({ outcome: 'done', detail: 'containerd://1.6' });
    const images = steps.waitFor('images', { timeoutMs: 5000, signal });
    steps.record({ step: 'images', phase: 'started' });
    steps.record({ step: 'images', phase: 'done', detail: 'present' });
    expect(await images).toEqual({ outcome: 'done', detail: 'present' });
  });

  it('tells each failure, and gives up on abort with the last one', async () => {
    const steps = createEdgeRuntimeSteps();
    const failures: string[] = [];
    const abort = new AbortController();
    const waiting = steps.waitFor('containerd', { timeoutMs: 60_000, signal: abort.signal, onFailure: (m) => failures.push(m) });
    steps.record({ step: 'containerd', phase: 'failed', detail: 'no containerd binary' });
    abort.abort();
    expect(await waiting).toEqual({ outcome: 'not-yet', lastError: 'no containerd binary' });
    expect(failures).toEqual(['no containerd binary']);
  });
});

import { describe, expect, it } from 'vitest';
import { waitFor, WaitTimeoutError } from './poll.js';

describe('waitFor', () => {
  it('returns the first truthy value the check gives', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { timeoutMs: 5_000, intervalMs: 1, description: 'three calls' });
    expect(value).toEqual({ calls: 3 });
  });

  it('awaits an async check and treats a throwing check as "not yet"', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        if (++calls < 3) throw new Error('not ready');
        return 'ready';
      },
      { timeoutMs: 5_000, intervalMs: 1, description: 'ready' },
    );
    expect(value).toBe('ready');
  });

  it('fails on timeout naming what it waited for and the last value it saw', async () => {
    const error = await waitFor(() => false, { timeoutMs: 20, intervalMs: 1, description: 'pod web Running' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).code).toBe('WaitTimeout');
    expect((error as Error).message).toBe('timed out after 20 ms waiting for pod web Running (last value: false)');
  });

  it('shows the last error when the check kept throwing, and builds a lazy description only then', async () => {
    let described = 0;
    const description = () => `the cloud (${++described})`;
    const error = await waitFor(
      () => {
        throw new Error('connect ECONNREFUSED');
      },
      { timeoutMs: 20, intervalMs: 1, description },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe('timed out after 20 ms waiting for the cloud (1) (last error: connect ECONNREFUSED)');
    expect((error as WaitTimeoutError).lastError).toBeInstanceOf(Error);
    expect(described).toBe(1);
  });

  it('checks at least once even with no time at all', async () => {
    expect(await waitFor(() => 42, { timeoutMs: 0, description: 'the answer' })).toBe(42);
  });

  it('stops waiting when its signal aborts', async () => {
    const controller = new AbortController();
    const waiting = waitFor(() => false, { timeoutMs: 60_000, intervalMs: 10_000, description: 'never', signal: controller.signal });
    controller.abort(new Error('test over'));
    await expect(waiting).rejects.toThrow('test over');
  });
});

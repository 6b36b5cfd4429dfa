import { describe, expect, it } from 'vitest';
import { backoffDelay } from './connection-state.js';

describe('backoffDelay (protocol.md R20)', () => {
  it('uses full jitter under a ceiling doubling from 1 s up to 30 s', () => {
    expect(backoffDelay(0, undefined, () => 0.999)).toBe(999);
    expect(backoffDelay(3, undefined, () => 0.5)).toBe(4000);
    expect(backoffDelay(10, undefined, () => 0.999)).toBe(29_970);
    expect(backoffDelay(100, undefined, () => 1 - 1e-9)).toBeLessThan(30_000);
    expect(backoffDelay(5, undefined, () => 0)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { cloudTakes } from './upstream-kinds.js';

describe('cloudTakes', () => {
  it('sends deviceStatus only to a cloud of 1.4 or later, events only from 1.2 (protocol.md R25, R39)', () => {
    expect(cloudTakes('deviceStatus', '1.3')).toBe(false);
    expect(cloudTakes('deviceStatus', '1.4')).toBe(true);
    expect(cloudTakes('event', '1.1')).toBe(false);
    expect(cloudTakes('event', '1.3')).toBe(true);
    expect(cloudTakes('podStatus', '1.1')).toBe(true);
    expect(cloudTakes('deviceStatus', 'garbage')).toBe(false);
  });
});

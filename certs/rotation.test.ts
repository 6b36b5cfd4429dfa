import { describe, expect, it } from 'vitest';
import { createCa } from './ca.js';
import { issueCertificate } from './issue.js';
import { certificateWindow, normalizeSerial, rotationDeadline } from './rotation.js';

describe('rotationDeadline', () => {
  it('falls between 70% and 90% of the lifetime the signer gave, not counting the backdating', async () => {
    const ca = await createCa();
    const now = new Date('2031-05-06T07:08:09Z');
    const issued = await issueCertificate({ ca, subject: { commonName: 'system:node:n' }, usages: 'client', lifetimeDays: 20 / 86_400, now: () => now });
    if (!issued.ok) throw new Error(issued.message);
    const window = certificateWindow(issued.value.certPem);
    expect(rotationDeadline(window, () => 0).getTime()).toBe(now.getTime() + 14_000);
    expect(rotationDeadline(window, () => 0.999999).getTime()).toBeCloseTo(now.getTime() + 18_000, -1);
  });

  it('works for a year-long certificate', () => {
    const notBefore = new Date('2030-01-01T00:00:00Z');
    const notAfter = new Date(notBefore.getTime() + 365 * 86_400_000);
    const at = rotationDeadline({ notBefore, notAfter }, () => 0.5).getTime();
    expect(at).toBeGreaterThan(notBefore.getTime() + 0.79 * 365 * 86_400_000);
    expect(at).toBeLessThan(notBefore.getTime() + 0.81 * 365 * 86_400_000);
  });

  it('normalizes serials from any API to lower-case hex without leading zeros', () => {
    expect(normalizeSerial('0A:1B:FF')).toBe('a1bff');
    expect(normalizeSerial('00')).toBe('0');
  });
});

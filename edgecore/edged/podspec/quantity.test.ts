import { describe, expect, it } from 'vitest';
import { addQuantities, compareQuantities, parseQuantity, quantityMilliValue, quantityValue, type Quantity } from './quantity.js';

function q(text: string): Quantity {
  const parsed = parseQuantity(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

describe('parseQuantity', () => {
  it.each([
    ['1', 1n, 1000n],
    ['0', 0n, 0n],
    ['100m', 1n, 100n],
    ['1.5', 2n, 1500n],
    ['0.1', 1n, 100n],
    ['.5', 1n, 500n],
    ['2.', 2n, 2000n],
    ['250m', 1n, 250n],
    ['1n', 1n, 1n],
    ['1u', 1n, 1n],
    ['1500u', 1n, 2n],
    ['1k', 1000n, 1000000n],
    ['1Ki', 1024n, 1024000n],
    ['64Mi', 67108864n, 67108864000n],
    ['1.5Gi', 1610612736n, 1610612736000n],
    ['1M', 1000000n, 1000000000n],
    ['1G', 1000000000n, 1000000000000n],
    ['2Ti', 2n * 1024n ** 4n, 2n * 1024n ** 4n * 1000n],
    ['1Pi', 1024n ** 5n, 1024n ** 5n * 1000n],
    ['1Ei', 1024n ** 6n, 1024n ** 6n * 1000n],
    ['1E', 10n ** 18n, 10n ** 21n],
    ['1e3', 1000n, 1000000n],
    ['1E3', 1000n, 1000000n],
    ['12e-3', 1n, 12n],
    ['1e+2', 100n, 100000n],
    ['+5', 5n, 5000n],
    ['-100m', -1n, -100n],
    ['129e6', 129000000n, 129000000000n],
  ])('%s → value %s, milli %s', (text, value, milli) => {
    expect(quantityValue(q(text))).toBe(value);
    expect(quantityMilliValue(q(text))).toBe(milli);
  });

  it.each(['', 'abc', '1.2.3', '1KB', '1mi', 'Mi', '1 Mi', ' 1', '1e', '--1', '1kk', '0x10', '1e999'])('refuses %j', (text) => {
    const parsed = parseQuantity(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.code).toBe('Invalid');
  });

  it('compares and adds exactly', () => {
    expect(compareQuantities(q('1'), q('1000m'))).toBe(0);
    expect(compareQuantities(q('1Gi'), q('1G'))).toBe(1);
    expect(compareQuantities(q('100m'), q('0.2'))).toBe(-1);
    expect(compareQuantities(addQuantities(q('0.1'), q('0.2')), q('300m'))).toBe(0);
    expect(quantityValue(addQuantities(q('512Mi'), q('512Mi')))).toBe(1073741824n);
  });
});

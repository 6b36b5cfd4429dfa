import { fail, ok, type Result } from '../../../shared/errors.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a Go duration (time.ParseDuration): a sequence of decimal numbers with units, e.g.
 * `50s`, `1m`, `1h30m`, `1.5h`, `300ms`; a bare `0` is zero. Negative durations are refused:
 * nothing here waits for a negative time. Returns milliseconds.
 */
export function parseGoDuration(text: string): Result<number, 'Invalid'> {
  const input = text.trim();
  if (input === '0') return ok(0);
  const parts = [...input.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)];
  if (input === '' || parts.length === 0 || parts.map((p) => p[0]).join('') !== input) {
    return fail('Invalid', `invalid duration ${JSON.stringify(text)}: use a Go duration such as 50s, 1m or 1h30m`);
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] ?? 's'] ?? 1000), 0);
  return ok(ms);
}

import { describe, expect, it } from 'vitest';
import { containerLogPath, podLogDirectory } from './log-paths.js';
import { parsePod } from './parse-pod.js';

describe('log paths (kubelet layout)', () => {
  it('puts a pod under <root>/<namespace>_<name>_<uid> and a container at <name>/<restartCount>.log', () => {
    const parsed = parsePod({ metadata: { name: 'web-0', namespace: 'shop', uid: '1234-abcd' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    if (!parsed.ok) throw new Error(parsed.message);
    expect(podLogDirectory('/data/edge/pods/logs', parsed.value)).toBe('/data/edge/pods/logs/shop_web-0_1234-abcd');
    expect(podLogDirectory('/data/logs/', parsed.value)).toBe('/data/logs/shop_web-0_1234-abcd');
    expect(containerLogPath('app', 0)).toBe('app/0.log');
    expect(containerLogPath('app', 12)).toBe('app/12.log');
  });
});

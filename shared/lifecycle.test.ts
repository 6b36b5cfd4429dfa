import { describe, expect, it } from 'vitest';
import { ModuleGroup, type Module } from './lifecycle.js';

function recorder(log: string[], name: string, failStart = false): Module {
  return {
    name,
    async start() {
      if (failStart) throw new Error(`${name} failed`);
      log.push(`start ${name}`);
    },
    async stop() {
      log.push(`stop ${name}`);
    },
  };
}

describe('ModuleGroup', () => {
  it('starts in order and stops in reverse, once', async () => {
    const log: string[] = [];
    const group = new ModuleGroup([recorder(log, 'a'), recorder(log, 'b')]);
    await group.start(new AbortController().signal);
    await Promise.all([group.stop(), group.stop()]);
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  it('stops what started when a later module fails', async () => {
    const log: string[] = [];
    const group = new ModuleGroup([recorder(log, 'a'), recorder(log, 'b', true), recorder(log, 'c')]);
    await expect(group.start(new AbortController().signal)).rejects.toThrow('b failed');
    expect(log).toEqual(['start a', 'stop a']);
  });
});

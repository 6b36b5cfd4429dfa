import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runningAgentOf } from './running-agent.js';

function edgeDirWith(endpoints: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-running-agent-'));
  writeFileSync(join(dir, 'endpoints.json'), JSON.stringify(endpoints));
  return dir;
}

describe('the agent running on an edge folder', () => {
  it('is the live outpost process endpoints.json names, unless it stopped cleanly', async () => {
    // A process whose command line names outpost, as `node dist/cli/outpost.js up` does.
    const agent = spawn('sh', ['-c', 'sleep 30', 'outpost'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => agent.once('exit', resolve));
    try {
      const pid = agent.pid ?? -1;
      expect(runningAgentOf(edgeDirWith({ pid, connection: 'connected' }))).toBe(pid);
      expect(runningAgentOf(edgeDirWith({ pid, connection: 'stopped' }))).toBeUndefined();
    } finally {
      agent.kill('SIGKILL');
      await exited;
    }
    expect(runningAgentOf(edgeDirWith({ pid: agent.pid, connection: 'connected' }))).toBeUndefined();
  });

  it('is none for this very process, another program, no file or a bad one', async () => {
    expect(runningAgentOf(edgeDirWith({ pid: process.pid }))).toBeUndefined();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => other.once('exit', resolve));
    expect(runningAgentOf(edgeDirWith({ pid: other.pid }))).toBeUndefined();
    other.kill('SIGKILL');
    await exited;
    expect(runningAgentOf(mkdtempSync(join(tmpdir(), 'outpost-running-agent-')))).toBeUndefined();
    expect(runningAgentOf(edgeDirWith('not an object'))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { runSystemctl, type CommandOutcome } from './systemctl.js';

function recorder(outcomes: CommandOutcome[], running = true) {
  const calls: string[] = [];
  return {
    calls,
    deps: {
      systemdRunning: () => running,
      run: (command: string, args: readonly string[]) => {
        calls.push([command, ...args].join(' '));
        return outcomes.shift() ?? { status: 0, output: '' };
      },
    },
  };
}

describe('systemctl', () => {
  it('runs each step in turn', () => {
    const r = recorder([]);
    expect(runSystemctl([['daemon-reload'], ['enable', '--now', 'outpost-edge.service']], r.deps)).toEqual({ state: 'done' });
    expect(r.calls).toEqual(['systemctl daemon-reload', 'systemctl enable --now outpost-edge.service']);
  });

  it('runs nothing where systemd is not PID 1', () => {
    const r = recorder([], false);
    expect(runSystemctl([['daemon-reload']], r.deps)).toMatchObject({ state: 'no-systemd' });
    expect(r.calls).toEqual([]);
  });

  it('tells "not booted with systemd" apart from a failure', () => {
    const notBooted = recorder([{ status: 1, output: 'System has not been booted with systemd as init system (PID 1). Can\'t operate.\nFailed to connect to bus: Host is down\n' }]);
    expect(runSystemctl([['daemon-reload'], ['enable', 'x']], notBooted.deps)).toMatchObject({ state: 'no-systemd' });
    expect(notBooted.calls).toHaveLength(1);
    const failed = recorder([{ status: 0, output: '' }, { status: 1, output: 'Failed to enable unit: Unit file x does not exist.' }]);
    expect(runSystemctl([['daemon-reload'], ['enable', 'x']], failed.deps)).toEqual({ state: 'failed', command: 'systemctl enable x', output: 'Failed to enable unit: Unit file x does not exist.' });
  });
});

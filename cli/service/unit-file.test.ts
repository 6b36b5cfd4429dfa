import { describe, expect, it } from 'vitest';
import { quoteExecWord, renderUnit } from './unit-file.js';

describe('the systemd unit', () => {
  it('an edge unit keeps pods and containerd across agent restarts and restarts the agent, as K3s\' agent unit does', () => {
    const unit = renderUnit({ role: 'edge', command: ['/usr/bin/node', '/opt/outpost/dist/cli/outpost.js', 'edge', '--node-name=pi-1'], envFile: '/etc/default/outpost-edge' });
    expect(unit.ok).toBe(true);
    const text = unit.ok ? unit.value : '';
    for (const line of ['Type=exec', 'KillMode=process', 'Delegate=yes', 'Restart=always', 'RestartSec=5s', 'LimitNOFILE=1048576', 'After=network-online.target', 'Wants=network-online.target', 'WantedBy=multi-user.target', 'EnvironmentFile=-/etc/default/outpost-edge']) {
      expect(text.split('\n')).toContain(line);
    }
    expect(text).toContain('ExecStart=/usr/bin/node \\\n    /opt/outpost/dist/cli/outpost.js \\\n    edge \\\n    --node-name=pi-1\n');
    expect(text).not.toContain('Type=notify');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('a cloud unit is stopped whole (no KillMode=process, no delegated cgroup)', () => {
    const unit = renderUnit({ role: 'cloud', command: ['/usr/bin/node', '/x/outpost.js', 'cloud'], envFile: '/etc/default/outpost-cloud' });
    const text = unit.ok ? unit.value : '';
    expect(text).toContain('Description=Outpost cloud (cloudcore)');
    expect(text).not.toContain('KillMode');
    expect(text).not.toContain('Delegate');
    expect(text).toContain('Restart=always');
  });

  it('quotes words as systemd reads them: specifiers and variables doubled, spaces and quotes in double quotes', () => {
    expect(quoteExecWord('--data-dir=/var/lib/outpost')).toEqual({ ok: true, value: '--data-dir=/var/lib/outpost' });
    expect(quoteExecWord('--data-dir=/srv/50%')).toEqual({ ok: true, value: '"--data-dir=/srv/50%%"' });
    expect(quoteExecWord('--config=/srv/$HOME/a b.yaml')).toEqual({ ok: true, value: '"--config=/srv/$$HOME/a b.yaml"' });
    expect(quoteExecWord('say "hi" \\ there')).toEqual({ ok: true, value: '"say \\"hi\\" \\\\ there"' });
    expect(quoteExecWord('')).toEqual({ ok: true, value: '""' });
    expect(quoteExecWord('a\nb')).toMatchObject({ ok: false, code: 'Invalid' });
    expect(renderUnit({ role: 'edge', command: ['/usr/bin/node', 'x\ty'], envFile: '/e' })).toMatchObject({ ok: false, code: 'Invalid' });
  });
});

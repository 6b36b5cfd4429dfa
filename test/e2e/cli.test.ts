import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';

describe('outpost CLI', () => {
  // `outpost up` itself (the demo, Ctrl-C, adopt, reset) is tested in outpost-up.test.ts.

  it('reports every problem of a bad config file at once and exits 1', () => {
    const file = join(tempDir('bad-config'), 'cloud.yaml');
    writeFileSync(file, 'apiVersion: outpost.dev/v1alpha1\nkind: CloudConfig\napiserver:\n  port: 99999\n  colour: blue\nlogLevel: loud\n');
    const result = spawnSync(process.execPath, [OUTPOST_CLI, 'cloud', '--config', file, '--data-dir', tempDir('unused')], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('apiserver.port');
    expect(result.stderr).toContain('apiserver');
    expect(result.stderr).toContain('logLevel');
  });

  it('rejects a bad port flag with a clear message', () => {
    const result = spawnSync(process.execPath, [OUTPOST_CLI, 'cloud', '--api-port', 'http'], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('must be a port number from 0 to 65535');
  });
});

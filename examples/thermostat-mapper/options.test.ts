import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe("the mapper's options", () => {
  it('takes flags over the environment, and the password from a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outpost-mapper-')), 'password');
    writeFileSync(file, 'from-file\n');
    const parsed = parseOptions(['--device', 'default/thermostat-1', '--broker', 'mqtt://127.0.0.1:1884', '--password-file', file, '--interval-ms', '250'], { MQTT_BROKER: 'mqtt://ignored:1', MQTT_USERNAME: 'default/thermostat-1', MQTT_PASSWORD: 'from-env' });
    expect(parsed).toEqual({ ok: true, options: { broker: 'mqtt://127.0.0.1:1884', username: 'default/thermostat-1', password: 'from-file', device: 'default/thermostat-1', intervalMs: 250, startTemperature: 18 } });
  });

  it('runs from the environment alone, with defaults', () => {
    expect(parseOptions([], { DEVICE_ID: 'factory/t-2', MQTT_PASSWORD: 'pw', MQTT_USERNAME: 'u' })).toEqual({
      ok: true,
      options: { broker: 'mqtt://127.0.0.1:1883', username: 'u', password: 'pw', device: 'factory/t-2', intervalMs: 5000, startTemperature: 18 },
    });
  });

  it('says what is wrong, with the usage', () => {
    const parsed = parseOptions(['--device', 'no-namespace', '--interval-ms', '5'], {});
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toContain('device: must be NAMESPACE/NAME');
    expect(parsed.message).toContain('intervalMs');
    expect(parsed.message).toContain('usage: thermostat-mapper');
    expect(parseOptions(['--bogus'], {}).ok).toBe(false);
    expect(parseOptions(['--device', 'a/b', '--password-file', '/nonexistent/pw'], {})).toMatchObject({ ok: false, message: expect.stringContaining('cannot read the password file') });
  });
});

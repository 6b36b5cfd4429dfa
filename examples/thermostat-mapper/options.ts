import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** What the mapper needs to run; each flag also has an environment variable. */
export interface MapperOptions {
  broker: string;
  username?: string;
  password?: string;
  /** `<namespace>/<name>` of the Device. */
  device: string;
  intervalMs: number;
  /** The temperature the simulation starts at. */
  startTemperature: number;
}

export const USAGE = `usage: thermostat-mapper --device NAMESPACE/NAME [--broker mqtt://127.0.0.1:1883]
       [--username U] [--password-file FILE] [--interval-ms 5000] [--start-temperature 18]
environment: MQTT_BROKER, MQTT_USERNAME, MQTT_PASSWORD, MQTT_PASSWORD_FILE, DEVICE_ID, INTERVAL_MS`;

const schema = z.object({
  broker: z.string().regex(/^mqtts?:\/\/[^/]+$/, 'must be mqtt://host:port or mqtts://host:port'),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  device: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be NAMESPACE/NAME'),
  intervalMs: z.coerce.number().int().min(100).max(3_600_000),
  startTemperature: z.coerce.number().min(-40).max(85),
});

export type ParsedOptions = { ok: true; options: MapperOptions } | { ok: false; message: string };

/** Flags win over the environment; a password comes from a file or MQTT_PASSWORD, never a flag (ps shows flags). */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): ParsedOptions {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        broker: { type: 'string' }, username: { type: 'string' }, 'password-file': { type: 'string' },
        device: { type: 'string' }, 'interval-ms': { type: 'string' }, 'start-temperature': { type: 'string' },
      },
      strict: true,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    return { ok: false, message: `${error instanceof Error ? error.message : String(error)}\n${USAGE}` };
  }
  const passwordFile = values['password-file'] ?? env.MQTT_PASSWORD_FILE;
  let password = env.MQTT_PASSWORD;
  if (passwordFile !== undefined) {
    try {
      password = readFileSync(passwordFile, 'utf8').trim();
    } catch (error) {
      return { ok: false, message: `cannot read the password file ${passwordFile}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const parsed = schema.safeParse({
    broker: values.broker ?? env.MQTT_BROKER ?? 'mqtt://127.0.0.1:1883',
    username: values.username ?? env.MQTT_USERNAME,
    password,
    device: values.device ?? env.DEVICE_ID,
    intervalMs: values['interval-ms'] ?? env.INTERVAL_MS ?? '5000',
    startTemperature: values['start-temperature'] ?? '18',
  });
  if (!parsed.success) return { ok: false, message: `${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n${USAGE}` };
  const { username, password: pw, ...rest } = parsed.data;
  return { ok: true, options: { ...rest, ...(username === undefined ? {} : { username }), ...(pw === undefined ? {} : { password: pw }) } };
}

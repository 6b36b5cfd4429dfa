/**
 * The device part of `outpost up`'s demo: applies examples/thermostat-mapper/device.yaml (a
 * KubeEdge DeviceModel and Device on edge-1) and runs the example mapper against edge-1's broker
 * with the Device's credentials Secret (docs/mqtt-access.md § Credentials). The mapper is a child
 * process speaking only the MQTT topics; its one line per event goes to a log file, not the
 * terminal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { abortableSleep } from '../shared/abortable-sleep.js';
import { errorMessage, OutpostError } from '../shared/errors.js';
import { createLogger, type LogFormat, type Logger, type LogOptions } from '../shared/logging.js';
import { createIfAbsent, openAdminApi, statusMessage, type AdminApi } from './admin-api-client.js';

export const DEMO_DEVICE = 'thermostat-1';
const NAMESPACE = 'default';
const GROUP_PATH = `/apis/devices.kubeedge.io/v1beta1/namespaces/${NAMESPACE}`;
/** dist/cli/ → the repository's examples/ (the manifest) and dist/examples/ (the compiled mapper). */
const MANIFEST = fileURLToPath(new URL('../../examples/thermostat-mapper/device.yaml', import.meta.url));
const MAPPER = fileURLToPath(new URL('../examples/thermostat-mapper/main.js', import.meta.url));
/** The demo reports every 2 s (the mapper's default is 5 s), so the summary soon shows the twin changing. */
const REPORT_INTERVAL_MS = 2000;
/** How long to wait for the DeviceController's credentials Secret before giving up on the mapper. */
const SECRET_WAIT_MS = 60_000;

const manifestSchema = z.looseObject({ apiVersion: z.string(), kind: z.enum(['DeviceModel', 'Device']), metadata: z.looseObject({ name: z.string() }) });
const secretSchema = z.object({ data: z.object({ username: z.string(), password: z.string() }) });

export interface DemoThermostat {
  /** Where the mapper writes its log. */
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Applies the manifest (create unless present: an earlier run or the user's edits win), then, in
 * the background, waits for the credentials Secret and starts the mapper. Returns at once after
 * the apply; stop() ends the wait or the mapper.
 */
export async function startDemoThermostat(options: { kubeconfig: string; brokerUrl: string; dataDir: string; logger: Logger }): Promise<DemoThermostat> {
  const api = await openAdminApi(options.kubeconfig);
  for (const object of readManifest()) {
    const plural = object.kind === 'Device' ? 'devices' : 'devicemodels';
    const answer = await createIfAbsent(api, `${GROUP_PATH}/${plural}`, object);
    if (answer.outcome === 'refused') throw new OutpostError('Internal', `creating the demo ${object.kind}: HTTP ${answer.status} ${statusMessage(answer.body)}`);
  }
  const logDir = join(options.dataDir, 'examples');
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const logFile = join(logDir, 'thermostat-mapper.log');
  const stopping = new AbortController();
  let child: ChildProcess | undefined;
  const running = (async () => {
    const login = await waitForCredentials(api, stopping.signal);
    stopping.signal.throwIfAborted();
    const log = openSync(logFile, 'a', 0o600);
    try {
      child = spawn(process.execPath, [MAPPER, '--device', `${NAMESPACE}/${DEMO_DEVICE}`, '--broker', options.brokerUrl, '--interval-ms', String(REPORT_INTERVAL_MS)], {
        env: { ...process.env, MQTT_USERNAME: login.username, MQTT_PASSWORD: login.password },
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log); // the child holds its own descriptor
    }
  })().catch((error: unknown) => {
    if (!stopping.signal.aborted) options.logger.warn({ err: errorMessage(error) }, 'the demo thermostat mapper did not start');
  });
  return {
    logFile,
    async stop() {
      stopping.abort(new Error('stopping'));
      await running;
      const mapper = child;
      if (mapper === undefined || mapper.exitCode !== null || mapper.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => mapper.once('exit', () => resolve()));
      mapper.kill('SIGTERM');
      await exited;
    },
  };
}

function readManifest(): Array<z.infer<typeof manifestSchema>> {
  const documents = parseAllDocuments(readFileSync(MANIFEST, 'utf8'));
  return (Array.isArray(documents) ? documents : [documents]).map((doc) => manifestSchema.parse(doc.toJS()));
}

/** The Device's default credentials Secret, made by the cloud's DeviceController shortly after the Device. */
async function waitForCredentials(api: AdminApi, signal: AbortSignal): Promise<{ username: string; password: string }> {
  const deadline = Date.now() + SECRET_WAIT_MS;
  for (;;) {
    signal.throwIfAborted();
    const res = await api.call('GET', `/api/v1/namespaces/${NAMESPACE}/secrets/${DEMO_DEVICE}-mqtt`);
    const secret = secretSchema.safeParse(res.body);
    if (res.status === 200 && secret.success) {
      const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
      return { username: decode(secret.data.data.username), password: decode(secret.data.data.password) };
    }
    if (Date.now() > deadline) throw new OutpostError('Unavailable', `no Secret ${NAMESPACE}/${DEMO_DEVICE}-mqtt after ${SECRET_WAIT_MS / 1000} s (HTTP ${res.status})`);
    await abortableSleep(500, signal);
  }
}

/**
 * For `outpost up`: the demo thermostat, or undefined with a warning when it cannot start (no
 * MQTT broker on edge-1, the manifest refused): the rest of the hub runs on without it.
 */
export async function startDemoThermostatSafely(options: {
  kubeconfig: string; brokerUrl: string; dataDir: string; logLevel: string; logFormat?: LogFormat | undefined; logTo?: Pick<LogOptions, 'destination' | 'isTerminal'>;
}): Promise<DemoThermostat | undefined> {
  const logger = createLogger({ component: 'outpost-up/demo-thermostat', level: options.logLevel, format: options.logFormat, ...options.logTo });
  if (options.brokerUrl === '') {
    logger.warn('edge-1 runs no MQTT broker: the demo thermostat is skipped');
    return undefined;
  }
  try {
    return await startDemoThermostat({ ...options, logger });
  } catch (error) {
    logger.warn({ err: errorMessage(error) }, 'the demo thermostat is skipped');
    return undefined;
  }
}

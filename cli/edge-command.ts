import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../shared/config.js';
import { OutpostError } from '../shared/errors.js';
import { createLogger, type LogFormat, type Logger, type LogOptions } from '../shared/logging.js';
import { edgeConfigSchema, edgePaths, MQTT_MODES, type EdgeConfig } from '../edgecore/config.js';
import { moveEdgeDatabaseAside } from '../edgecore/metamanager/index.js';
import { ensureEdgeCredentials, startCertificateRotation } from '../edgecore/bootstrap/index.js';
import { runEdge, type RunEdgeOptions, type RunningEdge } from '../edgecore/main.js';
import { parsePort } from './port-flag.js';
import { LOG_FORMAT_HELP, parseLogFormat } from './log-format-flag.js';
import { resolveJoinToken, TOKEN_HELP } from './join-token-source.js';
import { runUntilSignal } from './run-until-signal.js';
import { overridesFromFlags, PRINT_DEFAULT_CONFIG_HELP, printDefaultConfig, type FlagFields } from './config-flags.js';

export interface EdgeFlags {
  config?: string;
  printDefaultConfig?: boolean;
  server?: string;
  /** CloudHub's wss://HOST:PORT instead of the one the join wrote into config.yaml (`outpost up`, whose cloud may have bound new ports). */
  hubUrl?: string;
  token?: string;
  tokenFile?: string;
  nodeName?: string;
  dataDir?: string;
  logLevel?: string;
  logFormat?: LogFormat;
  metaserverPort?: number;
  resetCache?: boolean;
  runtimeEndpoint?: string;
  /** commander's negation of --no-pods: false when given. */
  pods?: boolean;
  mqttMode?: EdgeConfig['mqtt']['mode'];
  mqttHost?: string;
  mqttPort?: number;
  mqttServer?: string;
  mqttUsername?: string;
  mqttPasswordFile?: string;
}

function parseMqttMode(value: string): EdgeConfig['mqtt']['mode'] {
  const mode = MQTT_MODES.find((m) => m === value);
  if (mode === undefined) throw new InvalidArgumentError(`must be one of ${MQTT_MODES.join(', ')}`);
  return mode;
}

/**
 * Each flag's config field (docs/configuration.md § Flags and precedence); edge-command.test.ts
 * checks it is complete. The --mqtt-* flags follow docs/device-twins.md § MQTT modes.
 */
export const EDGE_FLAG_FIELDS: FlagFields = {
  nodeName: 'nodeName',
  dataDir: 'dataDir',
  logLevel: 'logLevel',
  logFormat: 'logFormat',
  metaserverPort: 'metaserver.port',
  runtimeEndpoint: 'edged.runtimeEndpoint',
  pods: 'edged.enabled',
  mqttMode: 'mqtt.mode',
  mqttHost: 'mqtt.host',
  mqttPort: 'mqtt.port',
  mqttServer: 'mqtt.server',
  mqttUsername: 'mqtt.username',
  mqttPasswordFile: 'mqtt.passwordFile',
};

/** Flags that are not config: how to join (or find the config), and one-off actions. */
export const EDGE_FLAGS_NOT_CONFIG = ['config', 'printDefaultConfig', 'server', 'token', 'tokenFile', 'resetCache'] as const;

export function edgeOverrides(flags: EdgeFlags): Record<string, unknown> {
  // commander sets pods to true unless --no-pods is given: only the false is a choice.
  return overridesFromFlags({ ...flags, pods: flags.pods === false ? false : undefined }, EDGE_FLAG_FIELDS);
}

/**
 * Finds the edge's config: --config as given (credentials at the paths it names); otherwise the
 * join's `<E>/edges/<N>/config.yaml`, after JOIN's ensureEdgeCredentials made sure the node has
 * valid credentials (joining with --token the first time).
 */
async function resolveEdgeConfig(flags: EdgeFlags, logger: Logger): Promise<EdgeConfig> {
  // hubUrl is no flag (`outpost up` sets it): this run's CloudHub over the one the join wrote down.
  const overrides = { ...edgeOverrides(flags), ...(flags.hubUrl === undefined ? {} : { edgehub: { server: flags.hubUrl } }) };
  if (flags.config !== undefined) return loadConfig(edgeConfigSchema, { file: flags.config, overrides });
  if (flags.nodeName === undefined) throw new OutpostError('ConfigInvalid', 'outpost edge needs --node-name N (or --config FILE)');
  const token = resolveJoinToken(flags);
  // Joins when there are no credentials yet, renews a certificate near its end, else just checks.
  const ensured = await ensureEdgeCredentials({
    dataDir: flags.dataDir ?? '.outpost',
    nodeName: flags.nodeName,
    ...(flags.server !== undefined ? { server: flags.server } : {}),
    ...(token !== undefined ? { token } : {}),
    logger,
  });
  const configFile = ensured.configFile;
  return loadConfig(edgeConfigSchema, { file: configFile, overrides });
}

export function edgeCommand(): Command {
  return new Command('edge')
    .description('run edgecore: join the hub if needed, then keep this node in sync with it')
    .option('--config <file>', 'YAML config file (kind: EdgeConfig); default <data-dir>/edges/<node-name>/config.yaml; flags override it')
    .option('--print-default-config', PRINT_DEFAULT_CONFIG_HELP)
    .option('--server <host[:port]>', 'bootstrap endpoint to join through (port 10002 by default)')
    .option('--token <token>', `${TOKEN_HELP.token}; needed only for the first start`)
    .option('--token-file <file>', TOKEN_HELP.tokenFile)
    .option('--node-name <name>', 'this node\'s name')
    .option('--data-dir <dir>', 'data directory (default .outpost); the edge keeps its data in <dir>/edges/<name>/')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent')
    .option('--log-format <format>', LOG_FORMAT_HELP, parseLogFormat)
    .option('--metaserver-port <port>', 'MetaServer port on 127.0.0.1 (default 10550; 0 picks one)', parsePort)
    .option('--mqtt-mode <mode>', 'MQTT for device twins: internal (the embedded broker), external (--mqtt-server) or both (default internal)', parseMqttMode)
    .option('--mqtt-host <host>', 'address the embedded MQTT broker listens on (default 127.0.0.1: nothing off this machine reaches it)')
    .option('--mqtt-port <port>', 'embedded MQTT broker port (default 1883; 0 picks one; the address is written to endpoints.json as mqtt)', parsePort)
    .option('--mqtt-server <url>', 'external MQTT broker, mqtt://HOST:PORT (needed for --mqtt-mode external and both)')
    .option('--mqtt-username <name>', 'username for the external MQTT broker')
    .option('--mqtt-password-file <file>', 'file holding the password for the external MQTT broker')
    .option('--runtime-endpoint <endpoint>', 'use this CRI runtime (unix:///path/to/socket) instead of starting containerd under the edge folder')
    .option('--no-pods', 'run no pods: sync metadata and serve MetaServer only (graceful deletions are confirmed at once)')
    .option('--reset-cache', 'move edge.db aside (kept as edge.db.reset-<time>) and resync every object from the cloud; unsent reports in its outbox are lost')
    .action(async (flags: EdgeFlags) => {
      if (flags.printDefaultConfig === true) {
        printDefaultConfig(edgeConfigSchema, 'EdgeConfig', 'outpost edge', edgeOverrides(flags));
        return;
      }
      await runUntilSignal(async (signal) => {
        const running = await startEdgeAgent(flags, signal);
        return () => running.stop();
      });
    });
}

/** What `outpost up` adds to an edge's start: edged's progress, and where the log lines go. */
export interface EdgeAgentHooks extends Pick<RunEdgeOptions, 'onEdgedProgress'> {
  /** The log destination and whether it is a terminal (default: stdout, as `outpost edge`). */
  logTo?: Pick<LogOptions, 'destination' | 'isTerminal'>;
}

/**
 * Joins when needed, then runs edgecore with certificate rotation: what `outpost edge` does, and
 * what `outpost up` does for each of its edges.
 */
export async function startEdgeAgent(flags: EdgeFlags, signal: AbortSignal, hooks: EdgeAgentHooks = {}): Promise<RunningEdge> {
  const bootLogger = createLogger({ component: `edgecore/${flags.nodeName ?? 'edge'}`, level: flags.logLevel ?? 'info', format: flags.logFormat, ...hooks.logTo });
  const config = await resolveEdgeConfig(flags, bootLogger);
  const logger = createLogger({ component: `edgecore/${config.nodeName}`, level: config.logLevel, format: config.logFormat, ...hooks.logTo });
  if (flags.resetCache === true) {
    const moved = await moveEdgeDatabaseAside(edgePaths(config).db);
    if (!moved.ok) throw new OutpostError(moved.code, moved.message);
    logger.warn({ keptAs: moved.value }, 'edge cache reset: edge.db moved aside; every object resyncs from the cloud on connect');
  }
  // SIGTERM stops the agent and leaves the node's workloads alone (docs/architecture.md § Shutdown).
  return runEdge(config, logger, signal, {
    ...(hooks.onEdgedProgress === undefined ? {} : { onEdgedProgress: hooks.onEdgedProgress }),
    // Renews the node certificate at 70–90% of its life; the hub then reconnects with it.
    extraModules: ({ hub }) => [
      startCertificateRotation({
        dataDir: config.dataDir,
        nodeName: config.nodeName,
        logger: logger.child({ module: 'certificate-rotation' }),
        onRenewed: () => hub.reconnect('node certificate renewed'),
        hubs: () => hub.hubs().list,
      }),
    ],
  });
}

import { z } from 'zod';
import { logFormatSchema } from '../shared/logging.js';
import { edgePaths as edgeLayout } from './bootstrap/edge-paths.js';

/**
 * edgecore's configuration: one versioned YAML file (`kind: EdgeConfig`, usually
 * `<dataDir>/edges/<node>/config.yaml`, which `outpost join` writes) with a section per module.
 * Credential paths default to the edge's own pki/ folder. Each field says what it is here:
 * `outpost edge --print-default-config` prints them (docs/configuration.md).
 */
const seconds = z.number().positive();

/**
 * MQTT for device twins (docs/device-twins.md § MQTT modes), KubeEdge's three modes: `internal`
 * runs the embedded broker (loopback by default), `external` uses another broker (`server`),
 * `both` does both. The embedded broker's address goes to endpoints.json as `mqtt`.
 */
export const MQTT_MODES = ['internal', 'external', 'both'] as const;
const MQTT_DEFAULTS = { mode: 'internal' as const, host: '127.0.0.1', port: 1883 };
const mqttSchema = z
  .object({
    mode: z.enum(MQTT_MODES).default(MQTT_DEFAULTS.mode).describe('internal (the embedded broker), external (the broker at server) or both (--mqtt-mode).'),
    host: z.string().min(1).default(MQTT_DEFAULTS.host).describe('Address the embedded broker listens on; 127.0.0.1, so nothing off this machine reaches it unless configured (--mqtt-host).'),
    port: z.number().int().min(0).max(65535).default(MQTT_DEFAULTS.port).describe('The embedded broker\'s port; 0 picks one, written to endpoints.json as mqtt (--mqtt-port).'),
    server: z
      .string()
      .regex(/^mqtts?:\/\/[^\s/:]+(:\d{1,5})?\/?$/, 'must be mqtt://HOST:PORT (or mqtts://)')
      .optional()
      .meta({ description: 'The external broker, mqtt://HOST:PORT (or mqtts://); required for external and both (--mqtt-server).', example: 'mqtt://broker.example:1883' }),
    username: z.string().min(1).optional().meta({ description: 'Username for the external broker (--mqtt-username).', example: 'edge-1' }),
    passwordFile: z.string().min(1).optional().meta({ description: 'File whose first line is the external broker\'s password (--mqtt-password-file).', example: '/etc/outpost/mqtt-password' }),
  })
  .strict()
  .superRefine((mqtt, ctx) => {
    if (mqtt.mode !== 'internal' && mqtt.server === undefined) {
      ctx.addIssue({ code: 'custom', path: ['server'], message: `mqtt mode ${mqtt.mode} needs the external broker's address (--mqtt-server mqtt://HOST:PORT)` });
    }
    if (mqtt.passwordFile !== undefined && mqtt.username === undefined) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'a password file needs a username (--mqtt-username)' });
    }
  })
  .default(MQTT_DEFAULTS)
  .describe('MQTT for device twins (docs/device-twins.md § MQTT modes).');

export const edgeConfigSchema = z
  .object({
    apiVersion: z.literal('outpost.dev/v1alpha1').default('outpost.dev/v1alpha1').describe('Version of this file\'s format.'),
    kind: z.literal('EdgeConfig').default('EdgeConfig').describe('What the file configures: edgecore.'),
    nodeName: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a DNS-1123 subdomain')
      .max(253)
      .meta({ description: 'This node\'s name, a lower-case DNS subdomain; required (--node-name).', example: 'edge-1' }),
    dataDir: z.string().min(1).default('.outpost').describe('The edge keeps its data in <dataDir>/edges/<nodeName>/ (--data-dir).'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Least severe level logged: fatal, error, warn, info, debug, trace or silent (--log-level).'),
    logFormat: logFormatSchema.default('auto').describe('pretty, json, or auto: pretty on a terminal, JSON lines elsewhere (--log-format; docs/logging.md).'),
    edgehub: z
      .object({
        server: z
          .string()
          .regex(/^wss:\/\/[^\s/]+(:\d+)?\/?$/, 'must be wss://HOST[:PORT]')
          .meta({ description: 'CloudHub\'s address, wss://HOST:PORT; required (outpost join writes it).', example: 'wss://cloud.example:10000' }),
        caFile: z.string().optional().meta({ description: 'The cluster CA; default <edge folder>/pki/ca.crt.', example: '/etc/outpost/ca.crt' }),
        certFile: z.string().optional().meta({ description: 'The node certificate; default <edge folder>/pki/node.crt.', example: '/etc/outpost/node.crt' }),
        keyFile: z.string().optional().meta({ description: 'Its private key; default <edge folder>/pki/node.key.', example: '/etc/outpost/node.key' }),
        pingIntervalSeconds: seconds.default(15).describe('How often the connection to CloudHub is pinged.'),
        heartbeatSeconds: seconds.default(30).describe('How often the node status is reported.'),
        resultTimeoutSeconds: seconds.default(10).describe('How long a request to the cloud waits for its answer.'),
      })
      .strict()
      .describe('EdgeHub (edgecore/edgehub/): the websocket to CloudHub, mTLS.'),
    // docs/protocol.md R23
    lease: z
      .object({
        renewIntervalSeconds: seconds.default(10).describe('How often the lease is renewed.'),
        durationSeconds: z.number().int().positive().default(40).describe('The lease\'s leaseDurationSeconds.'),
      })
      .strict()
      .default({ renewIntervalSeconds: 10, durationSeconds: 40 })
      .describe('The node Lease in kube-node-lease, renewed while connected, as kubelet does.'),
    debug: z
      .object({
        statusInjection: z.boolean().default(false).describe('Serve the endpoint.'),
        port: z.number().int().min(0).max(65535).default(0).describe('Its port on 127.0.0.1; 0 picks one.'),
      })
      .strict()
      .default({ statusInjection: false, port: 0 })
      .describe('A loopback-only HTTP endpoint with a per-start bearer token, for tests and tools that inject reports before edged exists. Off unless asked for.'),
    metaserver: z
      .object({
        port: z.number().int().min(0).max(65535).default(10550).describe('MetaServer port on 127.0.0.1; 0 picks one (--metaserver-port).'),
        bookmarkSeconds: seconds.default(60).describe('How often an idle watch with allowWatchBookmarks gets a BOOKMARK.'),
      })
      .strict()
      .default({ port: 10550, bookmarkSeconds: 60 })
      .describe('MetaServer: the edge-local, read-only Kubernetes API over what the edge holds, plain HTTP on 127.0.0.1 only, as KubeEdge\'s, with /metrics and /healthz.'),
    /**
     * edged: runs the node's pods through a CRI runtime. By default edgecore starts and supervises
     * its own containerd under the edge's folder, as K3s does; `runtimeEndpoint` names an
     * existing CRI socket instead. Off, the edge only syncs and confirms deletions itself (R18).
     */
    edged: z
      .object({
        enabled: z.boolean().default(true).describe('Run pods; false syncs metadata and serves MetaServer only (false: --no-pods).'),
        runtimeEndpoint: z
          .string()
          .regex(/^unix:\/\/\/.+/, 'must be unix:///path/to/socket')
          .optional()
          .meta({ description: 'An existing CRI runtime to use instead of starting containerd under the edge folder (--runtime-endpoint).', example: 'unix:///run/containerd/containerd.sock' }),
        relistPeriodSeconds: seconds.default(1).describe('How often the runtime is relisted to notice outside changes (PLEG).'),
        // Container log rotation: kubelet's containerLogMaxSize / MaxFiles / MonitorInterval.
        containerLogMaxSizeBytes: z.number().int().min(1024).default(10 * 1024 * 1024).describe('A container log is rotated at this size.'),
        containerLogMaxFiles: z.number().int().min(2).default(5).describe('Log files kept per container, the current one included.'),
        containerLogMonitorIntervalSeconds: seconds.default(10).describe('How often log sizes are checked.'),
      })
      .strict()
      .default({ enabled: true, relistPeriodSeconds: 1, containerLogMaxSizeBytes: 10 * 1024 * 1024, containerLogMaxFiles: 5, containerLogMonitorIntervalSeconds: 10 })
      .describe('edged: runs the node\'s pods through a CRI runtime; by default its own containerd under the edge folder, as K3s does.'),
    mqtt: mqttSchema,
    metamanager: z
      .object({
        tombstoneLimit: z.number().int().min(1).default(1000).describe('Deletions remembered so watches can resume across them; a watch from before the oldest gets 410.'),
      })
      .strict()
      .default({ tombstoneLimit: 1000 })
      .describe('MetaManager: the edge\'s cache, edge.db.'),
  })
  .strict();

export type EdgeConfig = z.output<typeof edgeConfigSchema>;

export interface EdgePaths {
  edgeDir: string;
  db: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  endpoints: string;
  configFile: string;
  /** The bearer token (mode 0600) that lets a caller read secrets from MetaServer. */
  metaserverToken: string;
}

export function edgePaths(config: Pick<EdgeConfig, 'dataDir' | 'nodeName'> & { edgehub?: Partial<Pick<EdgeConfig['edgehub'], 'caFile' | 'certFile' | 'keyFile'>> }): EdgePaths {
  // One layout for the whole edge (edgecore/bootstrap/edge-paths.ts); a config may point the
  // credentials elsewhere.
  const layout = edgeLayout(config.dataDir, config.nodeName);
  return {
    edgeDir: layout.edgeDir,
    db: layout.database,
    caFile: config.edgehub?.caFile ?? layout.caCert,
    certFile: config.edgehub?.certFile ?? layout.nodeCert,
    keyFile: config.edgehub?.keyFile ?? layout.nodeKey,
    endpoints: layout.endpoints,
    configFile: layout.configFile,
    metaserverToken: layout.metaserverToken,
  };
}

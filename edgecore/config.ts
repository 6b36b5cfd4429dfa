import { z } from 'zod';
import { logFormatSchema } from '../shared/logging.js';
import { edgePaths as edgeLayout } from './bootstrap/edge-paths.js';

/**
 * edgecore's configuration: one versioned YAML file (`kind: EdgeConfig`, usually
 * `<dataDir>/edges/<node>/config.yaml`, which `outpost join` writes) with a section per module.
 * Credential paths default to the edge's own pki/ folder.
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
    mode: z.enum(MQTT_MODES).default(MQTT_DEFAULTS.mode),
    /** The embedded broker's address; 127.0.0.1, so nothing off the machine reaches it unless configured. */
    host: z.string().min(1).default(MQTT_DEFAULTS.host),
    /** The embedded broker's port; 0 picks one. */
    port: z.number().int().min(0).max(65535).default(MQTT_DEFAULTS.port),
    /** The external broker, mqtt://HOST:PORT (or mqtts://); required for external and both. */
    server: z.string().regex(/^mqtts?:\/\/[^\s/:]+(:\d{1,5})?\/?$/, 'must be mqtt://HOST:PORT (or mqtts://)').optional(),
    username: z.string().min(1).optional(),
    /** A file holding the external broker's password (its first line). */
    passwordFile: z.string().min(1).optional(),
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
  .default(MQTT_DEFAULTS);

export const edgeConfigSchema = z
  .object({
    apiVersion: z.literal('outpost.dev/v1alpha1').default('outpost.dev/v1alpha1'),
    kind: z.literal('EdgeConfig').default('EdgeConfig'),
    nodeName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a DNS-1123 subdomain').max(253),
    /** The edge keeps its data in `<dataDir>/edges/<nodeName>/`. */
    dataDir: z.string().min(1).default('.outpost'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `--log-format`: pretty, json, or auto (pretty on a terminal; docs/logging.md § Formats). */
    logFormat: logFormatSchema.default('auto'),
    edgehub: z
      .object({
        /** CloudHub's address, wss://HOST:PORT. */
        server: z.string().regex(/^wss:\/\/[^\s/]+(:\d+)?\/?$/, 'must be wss://HOST[:PORT]'),
        caFile: z.string().optional(),
        certFile: z.string().optional(),
        keyFile: z.string().optional(),
        pingIntervalSeconds: seconds.default(15),
        heartbeatSeconds: seconds.default(30),
        resultTimeoutSeconds: seconds.default(10),
      })
      .strict(),
    /** The node Lease in kube-node-lease (docs/protocol.md R23), renewed while connected, as kubelet does. */
    lease: z
      .object({
        renewIntervalSeconds: seconds.default(10),
        durationSeconds: z.number().int().positive().default(40),
      })
      .strict()
      .default({ renewIntervalSeconds: 10, durationSeconds: 40 }),
    /**
     * A loopback-only HTTP endpoint with a per-start bearer token, for tests and tools that
     * must inject reports before edged exists. Off unless asked for.
     */
    debug: z
      .object({
        statusInjection: z.boolean().default(false),
        port: z.number().int().min(0).max(65535).default(0),
      })
      .strict()
      .default({ statusInjection: false, port: 0 }),
    /**
     * MetaServer: the edge-local, read-only Kubernetes API over what the edge holds, on 127.0.0.1
     * only (plain HTTP, as KubeEdge's), with /metrics and /healthz on the same port. 0 picks a port.
     */
    metaserver: z
      .object({
        port: z.number().int().min(0).max(65535).default(10550),
        /** How often an idle watch with allowWatchBookmarks gets a BOOKMARK. */
        bookmarkSeconds: seconds.default(60),
      })
      .strict()
      .default({ port: 10550, bookmarkSeconds: 60 }),
    /**
     * edged: runs the node's pods through a CRI runtime. By default edgecore starts and supervises
     * its own containerd under the edge's folder, as K3s does; `runtimeEndpoint` names an
     * existing CRI socket instead. Off, the edge only syncs and confirms deletions itself (R18).
     */
    edged: z
      .object({
        enabled: z.boolean().default(true),
        runtimeEndpoint: z.string().regex(/^unix:\/\/\/.+/, 'must be unix:///path/to/socket').optional(),
        /** How often the runtime is relisted to notice outside changes (PLEG). */
        relistPeriodSeconds: seconds.default(1),
        /** Container log rotation, kubelet's containerLogMaxSize / MaxFiles / MonitorInterval. */
        containerLogMaxSizeBytes: z.number().int().min(1024).default(10 * 1024 * 1024),
        containerLogMaxFiles: z.number().int().min(2).default(5),
        containerLogMonitorIntervalSeconds: seconds.default(10),
      })
      .strict()
      .default({ enabled: true, relistPeriodSeconds: 1, containerLogMaxSizeBytes: 10 * 1024 * 1024, containerLogMaxFiles: 5, containerLogMonitorIntervalSeconds: 10 }),
    mqtt: mqttSchema,
    metamanager: z
      .object({
        /** Deletions remembered so watches can resume across them; a watch from before the oldest gets 410. */
        tombstoneLimit: z.number().int().min(1).default(1000),
      })
      .strict()
      .default({ tombstoneLimit: 1000 }),
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

import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../shared/config.js';
import { createLogger, type LogFormat, type LogOptions } from '../shared/logging.js';
import { cloudConfigSchema, type CloudConfig } from '../cloudcore/config.js';
import { runCloud, type RunningCloud } from '../cloudcore/main.js';
import { parseGoDuration } from '../cloudcore/controllers/index.js';
import { restoreSnapshot, saveSnapshot } from '../cloudcore/snapshot.js';
import { CLUSTER_SECRET_ENV, CLUSTER_SECRET_FILE, CLUSTER_SECRET_FLAG } from '../cloudcore/identity/index.js';
import { ETCD_RESTORE_ADVICE, etcdConnection, saveEtcdSnapshot } from '../cloudcore/snapshot-etcd.js';
import { migrateCommand } from './cloud-migrate-command.js';
import { overridesFromFlags, PRINT_DEFAULT_CONFIG_HELP, printDefaultConfig, type FlagFields } from './config-flags.js';
import { parsePort } from './port-flag.js';
import { LOG_FORMAT_HELP, parseLogFormat } from './log-format-flag.js';
import { runUntilSignal } from './run-until-signal.js';

/** `--node-monitor-grace-period` takes a Go duration (50s, 1m), as kube-controller-manager does; in seconds. */
export function parseGracePeriod(value: string): number {
  const parsed = parseGoDuration(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  if (parsed.value <= 0) throw new InvalidArgumentError('must be longer than 0');
  return parsed.value / 1000;
}

/** `--leader-elect`, `--leader-elect=true` or `--leader-elect=false`, as kube-controller-manager takes it. */
export function parseBoolean(value: string | boolean): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidArgumentError('must be true or false');
}

/** A repeatable flag: each use adds to the list. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parseList(value: string): string[] {
  return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

export interface CloudFlags {
  config?: string;
  printDefaultConfig?: boolean;
  dataDir?: string;
  tlsSan?: string[];
  apiPort?: number;
  bootstrapPort?: number;
  hubPort?: number;
  advertiseAddress?: string;
  hubExternalUrl?: string;
  bindAddress?: string;
  tokenAuthFile?: string;
  logLevel?: string;
  logFormat?: LogFormat;
  nodeMonitorGracePeriod?: number;
  clusterCidr?: string;
  serviceAccountIssuer?: string;
  apiAudiences?: string[];
  serviceAccountMaxTokenExpiration?: number;
  datastoreEndpoint?: string;
  datastoreCafile?: string;
  datastoreCertfile?: string;
  datastoreKeyfile?: string;
  datastorePrefix?: string;
  clusterSecretFile?: string;
  leaderElect?: boolean;
  leaderElectLeaseDuration?: number;
  leaderElectRenewDeadline?: number;
  leaderElectRetryPeriod?: number;
  datastoreWriteOrder?: string;
}

/** Each flag's config field (docs/configuration.md § Flags and precedence); cloud-command.test.ts checks it is complete. */
export const CLOUD_FLAG_FIELDS: FlagFields = {
  dataDir: 'dataDir',
  logLevel: 'logLevel',
  logFormat: 'logFormat',
  apiPort: 'apiserver.port',
  bindAddress: 'apiserver.bindAddress',
  tlsSan: 'apiserver.sans',
  tokenAuthFile: 'apiserver.tokenAuthFile',
  bootstrapPort: 'bootstrap.port',
  hubPort: 'cloudhub.port',
  advertiseAddress: 'cloudhub.advertiseAddress',
  hubExternalUrl: 'cloudhub.externalUrl',
  datastoreEndpoint: 'storage.datastoreEndpoint',
  datastoreCafile: 'storage.datastoreCAFile',
  datastoreCertfile: 'storage.datastoreCertFile',
  datastoreKeyfile: 'storage.datastoreKeyFile',
  datastorePrefix: 'storage.datastorePrefix',
  datastoreWriteOrder: 'storage.datastoreWriteOrder',
  nodeMonitorGracePeriod: 'controllers.nodeMonitorGracePeriodSeconds',
  clusterCidr: 'controllers.clusterCidr',
  leaderElect: 'controllers.leaderElect',
  leaderElectLeaseDuration: 'controllers.leaderElectLeaseDurationSeconds',
  leaderElectRenewDeadline: 'controllers.leaderElectRenewDeadlineSeconds',
  leaderElectRetryPeriod: 'controllers.leaderElectRetryPeriodSeconds',
  clusterSecretFile: 'identity.clusterSecretFile',
  serviceAccountIssuer: 'serviceAccounts.issuer',
  apiAudiences: 'serviceAccounts.apiAudiences',
  serviceAccountMaxTokenExpiration: 'serviceAccounts.maxTokenExpirationSeconds',
};

/** The config file (if any) with the flags on top. */
export async function loadCloudConfig(flags: CloudFlags): Promise<CloudConfig> {
  return loadConfig(cloudConfigSchema, { file: flags.config, overrides: overridesFromFlags(flags, CLOUD_FLAG_FIELDS) });
}

export function addCloudFlags(command: Command): Command {
  return command
    .option('--config <file>', 'YAML config file (kind: CloudConfig); flags override it')
    .option('--print-default-config', PRINT_DEFAULT_CONFIG_HELP)
    .option('--data-dir <dir>', 'data directory (default .outpost)')
    .option('--api-port <port>', 'Kubernetes API port (default 6443; 0 picks a free one)', parsePort)
    .option('--bootstrap-port <port>', 'join endpoint port (default 10002; 0 picks a free one)', parsePort)
    .option('--hub-port <port>', 'CloudHub (edge websocket) port (default 10000; 0 picks a free one)', parsePort)
    .option('--advertise-address <host>', 'host edges reach this cloudcore by: the published hub URL and the join command of `token create` (default: the bind address if specific, else the first non-loopback IP)')
    .option('--hub-external-url <url>', 'wss://HOST:PORT of a DNS name or load balancer in front of the cloudcores, published as is')
    .option('--bind-address <addr>', 'address the API listens on (default 0.0.0.0)')
    .option('--tls-san <name>', 'an extra DNS name or IP for the serving certificate; repeat for more', collect)
    .option('--token-auth-file <file>', 'static bearer tokens: token,user,uid,"group1,group2"')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent')
    .option('--log-format <format>', LOG_FORMAT_HELP, parseLogFormat)
    .option('--node-monitor-grace-period <duration>', 'silence after which a node is marked Unknown, e.g. 50s or 1m (default 50s)', parseGracePeriod)
    .option('--cluster-cidr <cidr>', 'pod addresses of the cluster, one subnet per node (default 10.42.0.0/16)')
    .option('--service-account-issuer <url>', 'the iss of service-account tokens (default https://kubernetes.default.svc.cluster.local)')
    .option('--api-audiences <list>', 'audiences the API accepts in service-account tokens, comma-separated (default: the issuer)', parseList)
    .option('--service-account-max-token-expiration <duration>', 'longest TokenRequest, e.g. 24h (default: no limit)', parseGracePeriod)
    .option('--datastore-endpoint <endpoints>', 'etcd members: etcd://h1:2379,h2:2379 or http(s):// URLs (default: SQLite in the data directory)')
    .option('--datastore-cafile <file>', 'CA of the etcd members\' certificates (etcd:// then means https)')
    .option('--datastore-certfile <file>', 'client certificate for etcd (mTLS)')
    .option('--datastore-keyfile <file>', 'its private key')
    .option('--datastore-prefix <prefix>', 'etcd key prefix of this cluster (default /outpost)')
    .option('--cluster-secret-file <file>', 'the cluster secret that opens the identity in the datastore (or OUTPOST_CLUSTER_SECRET; default <data>/cloud/cluster-secret, made by the first cloudcore)')
    .option('--leader-elect [bool]', 'run the controllers only on the cloudcore holding the controller-manager Lease (default true)', parseBoolean)
    .option('--leader-elect-lease-duration <duration>', 'how long an unrenewed leader lease lasts, e.g. 15s (default 15s)', parseGracePeriod)
    .option('--leader-elect-renew-deadline <duration>', 'how long a leader tries to renew before it stops its controllers (default 10s)', parseGracePeriod)
    .option('--leader-elect-retry-period <duration>', 'how often a leader renews and a candidate tries (default 2s)', parseGracePeriod)
    .option('--datastore-write-order <order>', 'etcd writes in call order (call, default) or only per key, pipelined as kube-apiserver does (key)');
}

/** `logTo`: where the log lines go (default stdout); `outpost up` sends them to stderr, beside its progress on stdout. */
export async function startCloud(flags: CloudFlags, signal: AbortSignal, logTo: Pick<LogOptions, 'destination' | 'isTerminal'> = {}): Promise<RunningCloud> {
  const config = await loadCloudConfig(flags);
  const logger = createLogger({ component: 'cloudcore', level: config.logLevel, format: config.logFormat, ...logTo });
  return runCloud(config, logger, signal);
}

export function cloudCommand(): Command {
  const cloud = addCloudFlags(new Command('cloud').description('run cloudcore: the Kubernetes-compatible API and the cloud half of the hub'));
  cloud.action(async (flags: CloudFlags) => {
    if (flags.printDefaultConfig === true) {
      printDefaultConfig(cloudConfigSchema, 'CloudConfig', 'outpost cloud', overridesFromFlags(flags, CLOUD_FLAG_FIELDS));
      return;
    }
    await runUntilSignal(async (signal) => {
      const running = await startCloud(flags, signal);
      return () => running.stop();
    });
  });
  const snapshot = new Command('snapshot').description('save or restore the cloud state (database and pki/; the cluster secret is not included)');
  snapshot
    .command('save <file>')
    .description('write a consistent snapshot of a (running or stopped) cloudcore')
    .action(async (file: string, _opts: unknown, command: Command) => {
      // --data-dir belongs to `outpost cloud`, so it is read from the parent's options.
      const flags = command.optsWithGlobals() as CloudFlags;
      if (flags.datastoreEndpoint !== undefined) {
        // On etcd: etcd's own snapshot (docs/datastore.md § Snapshots on etcd).
        const connection = await etcdConnection((await loadCloudConfig(flags)).storage);
        const saved = connection.ok ? await saveEtcdSnapshot(connection.value, file) : connection;
        if (!saved.ok) command.error(`error: ${saved.message}`);
        console.log(`etcd snapshot written to ${file} (${saved.value.bytes} bytes${saved.value.revision === '' ? '' : ` at etcd revision ${saved.value.revision}`}); restore it with etcdctl snapshot restore`);
        return;
      }
      const dataDir = flags.dataDir ?? '.outpost';
      const result = await saveSnapshot(dataDir, file);
      console.log(`snapshot written to ${file} (state database and ${result.files} pki files)`);
      console.log(`the cluster secret is NOT in the snapshot: keep ${join(dataDir, 'cloud', CLUSTER_SECRET_FILE)} (or the secret you gave) to restore it`);
    });
  snapshot
    .command('restore <file>')
    .description('restore a snapshot into a new data directory')
    .action(async (file: string, _opts: unknown, command: Command) => {
      const flags = command.optsWithGlobals() as CloudFlags;
      if (flags.datastoreEndpoint !== undefined) command.error(`error: ${ETCD_RESTORE_ADVICE}`);
      const dataDir = flags.dataDir;
      if (dataDir === undefined) command.error('error: restore needs --data-dir NEW_DIR (a new data directory)');
      await restoreSnapshot(file, dataDir);
      console.log(`restored ${file} into ${dataDir}; start it with the cluster's secret: outpost cloud --data-dir ${dataDir} ${CLUSTER_SECRET_FLAG} FILE (or ${CLUSTER_SECRET_ENV})`);
    });
  cloud.addCommand(snapshot);
  cloud.addCommand(migrateCommand());
  return cloud;
}

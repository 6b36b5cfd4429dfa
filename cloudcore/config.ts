import { z } from 'zod';
import { logFormatSchema } from '../shared/logging.js';
import { parseIpv4Cidr } from '../shared/ipv4-cidr.js';
import { hubUrlSchema } from '../shared/protocol/index.js';
import { parseDatastoreEndpoint } from './storage/etcd/index.js';

/**
 * cloudcore's configuration: one versioned YAML file (`outpost cloud --config FILE`) with a
 * section per module; command-line flags override it. Defaults and what each field is live here:
 * `outpost cloud --print-default-config` prints them (docs/configuration.md).
 */
const port = z.number().int().min(0).max(65535);
/** client-go's JitterFactor for leader-election retries (cloudcore/leaderelection/). */
const LEADER_ELECT_JITTER = 1.2;

export const cloudConfigSchema = z
  .object({
    apiVersion: z.literal('outpost.dev/v1alpha1').default('outpost.dev/v1alpha1').describe('Version of this file\'s format.'),
    kind: z.literal('CloudConfig').default('CloudConfig').describe('What the file configures: cloudcore.'),
    dataDir: z.string().min(1).default('.outpost').describe('Where cloudcore keeps its state: <dataDir>/cloud/ holds the database, pki/, admin.kubeconfig and endpoints.json (--data-dir).'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Least severe level logged: fatal, error, warn, info, debug, trace or silent (--log-level).'),
    logFormat: logFormatSchema.default('auto').describe('pretty, json, or auto: pretty on a terminal, JSON lines elsewhere (--log-format; docs/logging.md).'),
    apiserver: z
      .object({
        bindAddress: z.string().default('0.0.0.0').describe('Address the API and the join endpoint listen on; 0.0.0.0 is every address (--bind-address).'),
        port: port.default(6443).describe('Kubernetes API port; 0 picks a free one (--api-port).'),
        sans: z.array(z.string()).default([]).describe('Extra DNS names and IPs for the serving certificate.'),
        tokenAuthFile: z.string().optional().meta({ description: 'Kubernetes static token file, lines of token,user,uid,"group1,group2" (--token-auth-file).', example: '/etc/outpost/tokens.csv' }),
        bookmarkIntervalSeconds: z.number().positive().default(60).describe('How often an idle watch that allows bookmarks gets one.'),
      })
      .strict()
      .default({ bindAddress: '0.0.0.0', port: 6443, sans: [], bookmarkIntervalSeconds: 60 })
      .describe('The Kubernetes-compatible API (cloudcore/apiserver/).'),
    storage: z
      .object({
        compactIntervalSeconds: z.number().positive().default(300).describe('How often old revisions are compacted away.'),
        keepRevisions: z.number().int().positive().default(1000).describe('Revisions kept behind the newest at each compaction (K3s keeps 1000).'),
        // docs/datastore.md § Choosing etcd
        datastoreEndpoint: z.string().min(1).optional().meta({ description: 'etcd members, etcd://h1:2379,h2:2379 or http(s):// URLs; absent, the state is SQLite in the data directory (--datastore-endpoint).', example: 'etcd://10.0.0.5:2379,10.0.0.6:2379' }),
        datastoreCAFile: z.string().min(1).optional().meta({ description: 'CA of the etcd members\' certificates; etcd:// then means https (--datastore-cafile).', example: '/etc/outpost/etcd-ca.crt' }),
        datastoreCertFile: z.string().min(1).optional().meta({ description: 'Client certificate for etcd, mTLS (--datastore-certfile).', example: '/etc/outpost/etcd-client.crt' }),
        datastoreKeyFile: z.string().min(1).optional().meta({ description: 'Private key of datastoreCertFile (--datastore-keyfile).', example: '/etc/outpost/etcd-client.key' }),
        datastorePrefix: z.string().regex(/^\/[^\0]*$/, 'must start with /').default('/outpost').describe('The etcd key prefix this cluster lives under (--datastore-prefix).'),
        // docs/datastore.md § Pipelined writes
        datastoreWriteOrder: z.enum(['call', 'key']).default('call').describe('etcd writes in call order (call) or ordered only per key and pipelined, as kube-apiserver does (key) (--datastore-write-order).'),
      })
      .strict()
      .superRefine((storage, ctx) => {
        const tlsFiles = [storage.datastoreCAFile, storage.datastoreCertFile, storage.datastoreKeyFile].some((f) => f !== undefined);
        if (storage.datastoreEndpoint === undefined) {
          if (tlsFiles) ctx.addIssue({ code: 'custom', path: ['datastoreEndpoint'], message: 'the datastore TLS files need --datastore-endpoint' });
          return;
        }
        const parsed = parseDatastoreEndpoint(storage.datastoreEndpoint, storage.datastoreCAFile !== undefined);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['datastoreEndpoint'], message: parsed.message });
        if ((storage.datastoreCertFile === undefined) !== (storage.datastoreKeyFile === undefined)) {
          ctx.addIssue({ code: 'custom', path: ['datastoreKeyFile'], message: '--datastore-certfile and --datastore-keyfile go together' });
        }
        if (storage.datastoreCertFile !== undefined && storage.datastoreCAFile === undefined) {
          ctx.addIssue({ code: 'custom', path: ['datastoreCAFile'], message: 'a client certificate for etcd needs --datastore-cafile too' });
        }
      })
      .default({ compactIntervalSeconds: 300, keepRevisions: 1000, datastorePrefix: '/outpost', datastoreWriteOrder: 'call' })
      .describe('The datastore: SQLite in the data directory, or etcd (docs/datastore.md).'),
    controllers: z
      .object({
        eventTtlSeconds: z.number().int().positive().default(3600).describe('How long Events are kept.'),
        nodeMonitorGracePeriodSeconds: z.number().positive().default(50).describe('Silence after which a node is marked Unknown; Kubernetes 1.32: 50 s (--node-monitor-grace-period).'),
        clusterCidr: z
          .string()
          .default('10.42.0.0/16')
          .superRefine((value, ctx) => {
            const parsed = parseIpv4Cidr(value);
            if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
          })
          .describe('Pod addresses of the whole cluster, cut into one subnet per node; K3s: 10.42.0.0/16 (--cluster-cidr).'),
        nodeCidrMaskSize: z.number().int().min(8).max(30).default(24).describe('Prefix length of each node\'s share of clusterCidr.'),
        // docs/users.md § Signer
        clusterSigningDurationSeconds: z.number().int().min(600).default(365 * 24 * 60 * 60).describe('Longest client certificate the CSR signer issues, in seconds; Kubernetes: 1 year.'),
        // docs/leader-election.md
        leaderElect: z.boolean().default(true).describe('Run the controllers only while this cloudcore holds the controller-manager Lease (--leader-elect).'),
        leaderElectLeaseDurationSeconds: z.number().positive().default(15).describe('How long the lease lasts unrenewed before another cloudcore may take it (--leader-elect-lease-duration).'),
        leaderElectRenewDeadlineSeconds: z.number().positive().default(10).describe('How long a leader keeps trying to renew before it stops its controllers (--leader-elect-renew-deadline).'),
        leaderElectRetryPeriodSeconds: z.number().positive().default(2).describe('How often a leader renews and a candidate tries (--leader-elect-retry-period).'),
      })
      .strict()
      // client-go's checks: a leader gives up before its lease can expire, and retries fit in the deadline.
      .superRefine((c, ctx) => {
        if (c.leaderElectLeaseDurationSeconds <= c.leaderElectRenewDeadlineSeconds) {
          ctx.addIssue({ code: 'custom', path: ['leaderElectLeaseDurationSeconds'], message: 'must be longer than leaderElectRenewDeadlineSeconds' });
        }
        if (c.leaderElectRenewDeadlineSeconds <= c.leaderElectRetryPeriodSeconds * LEADER_ELECT_JITTER) {
          ctx.addIssue({ code: 'custom', path: ['leaderElectRenewDeadlineSeconds'], message: `must be longer than ${LEADER_ELECT_JITTER} × leaderElectRetryPeriodSeconds` });
        }
      })
      .default({
        eventTtlSeconds: 3600,
        nodeMonitorGracePeriodSeconds: 50,
        clusterCidr: '10.42.0.0/16',
        nodeCidrMaskSize: 24,
        clusterSigningDurationSeconds: 365 * 24 * 60 * 60,
        leaderElect: true,
        leaderElectLeaseDurationSeconds: 15,
        leaderElectRenewDeadlineSeconds: 10,
        leaderElectRetryPeriodSeconds: 2,
      })
      .describe('The controllers (cloudcore/controllers/), as kube-controller-manager\'s flags.'),
    // docs/service-accounts.md
    serviceAccounts: z
      .object({
        issuer: z.string().url().default('https://kubernetes.default.svc.cluster.local').describe('The tokens\' iss and the OIDC discovery issuer (--service-account-issuer).'),
        apiAudiences: z.array(z.string().min(1)).default([]).describe('Audiences the API accepts in aud; empty means the issuer alone (--api-audiences).'),
        maxTokenExpirationSeconds: z.number().int().min(0).default(0).describe('Longer TokenRequests are shortened to this many seconds; 0 is no limit (--service-account-max-token-expiration).'),
      })
      .strict()
      .default({ issuer: 'https://kubernetes.default.svc.cluster.local', apiAudiences: [], maxTokenExpirationSeconds: 0 })
      .describe('Service-account tokens (cloudcore/serviceaccounts/), as kube-apiserver\'s flags.'),
    // docs/protocol.md
    cloudhub: z
      .object({
        port: port.default(10000).describe('CloudHub port, where edges connect; 0 picks a free one (--hub-port).'),
        // docs/protocol.md R12
        maxInFlight: z.number().int().positive().default(256).describe('Unacknowledged versions in flight per edge session.'),
        resendAfterSeconds: z.number().positive().default(10).describe('An unacknowledged version is sent again after this long.'),
        pingIntervalSeconds: z.number().positive().default(30).describe('How often an idle edge connection is pinged.'),
        // docs/protocol.md R46
        maxHandshakesInFlight: z.number().int().positive().default(128).describe('Edge handshakes served at once; more are told when to come back.'),
        // docs/failover.md § Publishing
        advertiseAddress: z.string().min(1).optional().meta({ description: 'Host edges reach this cloudcore by, in the published hub URL and the join command; added to the serving certificate. Default: the bind address if specific, else this machine\'s first non-loopback IP (--advertise-address).', example: '192.0.2.10' }),
        externalUrl: hubUrlSchema.optional().meta({ description: 'wss://HOST:PORT of a DNS name or load balancer in front of the cloudcores, published as is (--hub-external-url).', example: 'wss://hub.example.com:10000' }),
        hubLeaseDurationSeconds: z.number().int().min(3).default(30).describe('How long a published hub address lives unrenewed; renewed every third of it.'),
      })
      .strict()
      .default({ port: 10000, maxInFlight: 256, resendAfterSeconds: 10, pingIntervalSeconds: 30, hubLeaseDurationSeconds: 30, maxHandshakesInFlight: 128 })
      .describe('CloudHub (cloudcore/cloudhub/): the edges\' websocket endpoint, mTLS.'),
    // docs/identity.md
    identity: z
      .object({
        clusterSecretFile: z.string().min(1).optional().meta({ description: 'File holding the cluster secret that opens the identity; else OUTPOST_CLUSTER_SECRET, else <dataDir>/cloud/cluster-secret (--cluster-secret-file).', example: '/etc/outpost/cluster-secret' }),
      })
      .strict()
      .default({})
      .describe('The cluster identity (CA and keys) in the datastore (cloudcore/identity/).'),
    bootstrap: z
      .object({
        port: port.default(10002).describe('Join endpoint port; 0 picks a free one (--bootstrap-port).'),
        nodeCertificateLifetimeSeconds: z.number().int().min(10).default(365 * 24 * 3600).describe('Lifetime of node certificates in seconds; edges renew at 70-90% of it.'),
        maxFailedTokenAttemptsPerMinute: z.number().int().positive().default(20).describe('Failed token attempts allowed per source address per minute before 429.'),
      })
      .strict()
      .default({ port: 10002, nodeCertificateLifetimeSeconds: 365 * 24 * 3600, maxFailedTokenAttemptsPerMinute: 20 })
      .describe('The join endpoint (cloudcore/bootstrap/): HTTPS, signs edges\' certificates.'),
  })
  .strict();

export type CloudConfig = z.output<typeof cloudConfigSchema>;

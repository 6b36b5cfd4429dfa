import { z } from 'zod';
import { logFormatSchema } from '../shared/logging.js';
import { parseIpv4Cidr } from '../shared/ipv4-cidr.js';
import { hubUrlSchema } from '../shared/protocol/index.js';
import { parseDatastoreEndpoint } from './storage/etcd/index.js';

/**
 * cloudcore's configuration: one versioned YAML file (`outpost cloud --config FILE`) with a
 * section per module; command-line flags override it. Defaults live here.
 */
const port = z.number().int().min(0).max(65535);
/** client-go's JitterFactor for leader-election retries (cloudcore/leaderelection/). */
const LEADER_ELECT_JITTER = 1.2;

export const cloudConfigSchema = z
  .object({
    apiVersion: z.literal('outpost.dev/v1alpha1').default('outpost.dev/v1alpha1'),
    kind: z.literal('CloudConfig').default('CloudConfig'),
    dataDir: z.string().min(1).default('.outpost'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `--log-format`: pretty, json, or auto (pretty on a terminal; docs/logging.md § Formats). */
    logFormat: logFormatSchema.default('auto'),
    apiserver: z
      .object({
        bindAddress: z.string().default('0.0.0.0'),
        port: port.default(6443),
        /** Extra DNS names / IPs for the serving certificate. */
        sans: z.array(z.string()).default([]),
        /** Kubernetes static token file: token,user,uid,"group1,group2". */
        tokenAuthFile: z.string().optional(),
        bookmarkIntervalSeconds: z.number().positive().default(60),
      })
      .strict()
      .default({ bindAddress: '0.0.0.0', port: 6443, sans: [], bookmarkIntervalSeconds: 60 }),
    storage: z
      .object({
        compactIntervalSeconds: z.number().positive().default(300),
        /** Revisions kept behind the newest at each compaction (K3s keeps 1000). */
        keepRevisions: z.number().int().positive().default(1000),
        /** `--datastore-endpoint` (K3s' name): etcd members; absent = SQLite (docs/datastore.md § Choosing etcd). */
        datastoreEndpoint: z.string().min(1).optional(),
        /** `--datastore-cafile`, `--datastore-certfile`, `--datastore-keyfile`: TLS (and mTLS) to etcd. */
        datastoreCAFile: z.string().min(1).optional(),
        datastoreCertFile: z.string().min(1).optional(),
        datastoreKeyFile: z.string().min(1).optional(),
        /** `--datastore-prefix`: the etcd key prefix everything lives under. */
        datastorePrefix: z.string().regex(/^\/[^\0]*$/, 'must start with /').default('/outpost'),
        /** `--datastore-write-order`: `call` (the Store contract's order) or `key` (kube-apiserver's, faster; docs/datastore.md § Pipelined writes). */
        datastoreWriteOrder: z.enum(['call', 'key']).default('call'),
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
      .default({ compactIntervalSeconds: 300, keepRevisions: 1000, datastorePrefix: '/outpost', datastoreWriteOrder: 'call' }),
    controllers: z
      .object({
        eventTtlSeconds: z.number().int().positive().default(3600),
        /** Silence after which a node is Unknown (`--node-monitor-grace-period`; Kubernetes 1.32: 50 s). */
        nodeMonitorGracePeriodSeconds: z.number().positive().default(50),
        /** Pod addresses of the whole cluster (`--cluster-cidr`; K3s: 10.42.0.0/16), cut into one subnet per node. */
        clusterCidr: z
          .string()
          .default('10.42.0.0/16')
          .superRefine((value, ctx) => {
            const parsed = parseIpv4Cidr(value);
            if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
          }),
        /** Each node's share of clusterCidr (`--node-cidr-mask-size`). */
        nodeCidrMaskSize: z.number().int().min(8).max(30).default(24),
        /** The longest client certificate the CSR signer issues (`--cluster-signing-duration`; Kubernetes: 1 year; docs/users.md § Signer). */
        clusterSigningDurationSeconds: z.number().int().min(600).default(365 * 24 * 60 * 60),
        /** Run the controllers only while this cloudcore holds the controller-manager Lease (`--leader-elect`; docs/leader-election.md). */
        leaderElect: z.boolean().default(true),
        /** How long a lease lasts unrenewed before another cloudcore may take it (`--leader-elect-lease-duration`, 15 s). */
        leaderElectLeaseDurationSeconds: z.number().positive().default(15),
        /** How long a leader keeps trying to renew before it stops its controllers (`--leader-elect-renew-deadline`, 10 s). */
        leaderElectRenewDeadlineSeconds: z.number().positive().default(10),
        /** How often a leader renews and a candidate tries (`--leader-elect-retry-period`, 2 s). */
        leaderElectRetryPeriodSeconds: z.number().positive().default(2),
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
      }),
    /** Service-account tokens (cloudcore/serviceaccounts/, docs/service-accounts.md), as kube-apiserver's flags. */
    serviceAccounts: z
      .object({
        /** `--service-account-issuer`: the tokens' `iss` and the OIDC discovery issuer. */
        issuer: z.string().url().default('https://kubernetes.default.svc.cluster.local'),
        /** `--api-audiences`: what the API accepts in `aud`; empty means [issuer]. */
        apiAudiences: z.array(z.string().min(1)).default([]),
        /** `--service-account-max-token-expiration`: longer TokenRequests are shortened to it; 0 = no limit. */
        maxTokenExpirationSeconds: z.number().int().min(0).default(0),
      })
      .strict()
      .default({ issuer: 'https://kubernetes.default.svc.cluster.local', apiAudiences: [], maxTokenExpirationSeconds: 0 }),
    /** CloudHub (cloudcore/cloudhub/): the edges' WSS endpoint, mTLS, on 10000 (docs/protocol.md). */
    cloudhub: z
      .object({
        port: port.default(10000),
        /** Unacked versions in flight per session (protocol.md R12). */
        maxInFlight: z.number().int().positive().default(256),
        resendAfterSeconds: z.number().positive().default(10),
        pingIntervalSeconds: z.number().positive().default(30),
        /** Channel handshakes served at once; more are told when to come back (protocol.md R46). */
        maxHandshakesInFlight: z.number().int().positive().default(128),
        /** The host in the published hub URL (`--advertise-address`; docs/failover.md § Publishing); added to the serving certificate. */
        advertiseAddress: z.string().min(1).optional(),
        /** A DNS name or load balancer in front of the cloudcores, published as is (`--hub-external-url wss://HOST:PORT`). */
        externalUrl: hubUrlSchema.optional(),
        /** How long a published hub address lives without renewal (renewed every third of it). */
        hubLeaseDurationSeconds: z.number().int().min(3).default(30),
      })
      .strict()
      .default({ port: 10000, maxInFlight: 256, resendAfterSeconds: 10, pingIntervalSeconds: 30, hubLeaseDurationSeconds: 30, maxHandshakesInFlight: 128 }),
    /** The cluster identity in the datastore (cloudcore/identity/, docs/identity.md). */
    identity: z
      .object({
        /** `--cluster-secret-file`: the cluster secret that opens the identity (else OUTPOST_CLUSTER_SECRET, else <data>/cloud/cluster-secret). */
        clusterSecretFile: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    /** The join endpoint (cloudcore/bootstrap/): HTTPS on 10002, CSR signing for edges. */
    bootstrap: z
      .object({
        port: port.default(10002),
        /** Lifetime of node certificates; edges renew at 70-90% of it. */
        nodeCertificateLifetimeSeconds: z.number().int().min(10).default(365 * 24 * 3600),
        /** Failed token attempts allowed per source address per minute before 429. */
        maxFailedTokenAttemptsPerMinute: z.number().int().positive().default(20),
      })
      .strict()
      .default({ port: 10002, nodeCertificateLifetimeSeconds: 365 * 24 * 3600, maxFailedTokenAttemptsPerMinute: 20 }),
  })
  .strict();

export type CloudConfig = z.output<typeof cloudConfigSchema>;

import { z } from 'zod';
import { parseIpv4Cidr } from '../shared/ipv4-cidr.js';

/**
 * cloudcore's configuration: one versioned YAML file (`outpost cloud --config FILE`) with a
 * section per module; command-line flags override it. Defaults live here.
 */
const port = z.number().int().min(0).max(65535);

export const cloudConfigSchema = z
  .object({
    apiVersion: z.literal('outpost.dev/v1alpha1').default('outpost.dev/v1alpha1'),
    kind: z.literal('CloudConfig').default('CloudConfig'),
    dataDir: z.string().min(1).default('.outpost'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
      })
      .strict()
      .default({ compactIntervalSeconds: 300, keepRevisions: 1000 }),
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
      })
      .strict()
      .default({
        eventTtlSeconds: 3600,
        nodeMonitorGracePeriodSeconds: 50,
        clusterCidr: '10.42.0.0/16',
        nodeCidrMaskSize: 24,
        clusterSigningDurationSeconds: 365 * 24 * 60 * 60,
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
      })
      .strict()
      .default({ port: 10000, maxInFlight: 256, resendAfterSeconds: 10, pingIntervalSeconds: 30, maxHandshakesInFlight: 128 }),
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

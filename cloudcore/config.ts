import { z } from 'zod';

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
      })
      .strict()
      .default({ eventTtlSeconds: 3600 }),
  })
  .strict();

export type CloudConfig = z.output<typeof cloudConfigSchema>;

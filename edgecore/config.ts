import { join } from 'node:path';
import { z } from 'zod';

/**
 * edgecore's configuration: one versioned YAML file (`kind: EdgeConfig`, usually
 * `<dataDir>/edges/<node>/config.yaml`, which `outpost join` writes) with a section per module.
 * Credential paths default to the edge's own pki/ folder.
 */
const seconds = z.number().positive();

export const edgeConfigSchema = z
  .object({
    apiVersion: z.literal('outpost.dev/v1alpha1').default('outpost.dev/v1alpha1'),
    kind: z.literal('EdgeConfig').default('EdgeConfig'),
    nodeName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a DNS-1123 subdomain').max(253),
    /** The edge keeps its data in `<dataDir>/edges/<nodeName>/`. */
    dataDir: z.string().min(1).default('.outpost'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
}

export function edgePaths(config: Pick<EdgeConfig, 'dataDir' | 'nodeName'> & { edgehub?: Partial<Pick<EdgeConfig['edgehub'], 'caFile' | 'certFile' | 'keyFile'>> }): EdgePaths {
  const edgeDir = join(config.dataDir, 'edges', config.nodeName);
  return {
    edgeDir,
    db: join(edgeDir, 'edge.db'),
    caFile: config.edgehub?.caFile ?? join(edgeDir, 'pki', 'ca.crt'),
    certFile: config.edgehub?.certFile ?? join(edgeDir, 'pki', 'node.crt'),
    keyFile: config.edgehub?.keyFile ?? join(edgeDir, 'pki', 'node.key'),
    endpoints: join(edgeDir, 'endpoints.json'),
    configFile: join(edgeDir, 'config.yaml'),
  };
}

/**
 * What a join writes besides credentials: <E>/edges/<N>/config.yaml (edgecore's EdgeConfig, with
 * the node name, data folder and the hub address the bootstrap endpoint told us; other sections
 * already in the file are kept) and bootstrap.yaml (where renewals go). Later starts read them
 * back and need no token.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, stringify } from 'yaml';
import { z } from 'zod';
import { SECRET_FILE_MODE, writeFileAtomic } from '../../certs/files.js';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import type { EdgePaths } from './edge-paths.js';

export interface EdgeBootstrapSettings {
  nodeName: string;
  dataDir: string;
  /** https://HOST:PORT of the bootstrap endpoint (renewals go there); unknown for a node provisioned by hand. */
  bootstrapServer: string | undefined;
  /** wss://HOST:PORT of CloudHub, as the bootstrap endpoint told us. */
  hubUrl: string;
}

export async function writeEdgeConfigFile(paths: EdgePaths, settings: EdgeBootstrapSettings & { bootstrapServer: string }, existing?: Record<string, unknown>): Promise<void> {
  const base = existing ?? {};
  const edgehub = typeof base.edgehub === 'object' && base.edgehub !== null ? base.edgehub : {};
  const doc = {
    ...base,
    apiVersion: 'outpost.dev/v1alpha1',
    kind: 'EdgeConfig',
    nodeName: settings.nodeName,
    dataDir: settings.dataDir,
    edgehub: { ...edgehub, server: settings.hubUrl },
  };
  await writeFileAtomic(paths.bootstrapFile, stringify({ server: settings.bootstrapServer }), SECRET_FILE_MODE);
  await writeFileAtomic(paths.configFile, stringify(doc), SECRET_FILE_MODE);
}

const configSchema = z
  .object({ nodeName: z.string().min(1), dataDir: z.string().min(1), edgehub: z.object({ server: z.string() }).loose() })
  .loose();
const bootstrapSchema = z.object({ server: z.string().regex(/^https:\/\//) });

async function readYaml(file: string): Promise<Result<unknown, 'NotFound' | 'Invalid'>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fail('NotFound', `${file} does not exist`);
    return fail('Invalid', `cannot read ${file}: ${errorMessage(err)}`);
  }
  try {
    return ok(parseYaml(text));
  } catch (err) {
    return fail('Invalid', `${file} is not valid YAML: ${errorMessage(err)}`);
  }
}

export async function readEdgeConfigFile(paths: EdgePaths): Promise<Result<{ settings: EdgeBootstrapSettings; raw: Record<string, unknown> }, 'NotFound' | 'Invalid'>> {
  const [configRaw, bootstrapRaw] = await Promise.all([readYaml(paths.configFile), readYaml(paths.bootstrapFile)]);
  if (!configRaw.ok) return configRaw;
  if (!bootstrapRaw.ok && bootstrapRaw.code === 'Invalid') return bootstrapRaw;
  const config = configSchema.safeParse(configRaw.value);
  if (!config.success) return fail('Invalid', `${paths.configFile} lacks what a join writes (nodeName, dataDir, edgehub.server)`);
  let bootstrapServer: string | undefined;
  if (bootstrapRaw.ok) {
    const bootstrap = bootstrapSchema.safeParse(bootstrapRaw.value);
    if (!bootstrap.success) return fail('Invalid', `${paths.bootstrapFile} must hold server: https://HOST:PORT`);
    bootstrapServer = bootstrap.data.server;
  }
  const d = config.data;
  return ok({
    settings: { nodeName: d.nodeName, dataDir: d.dataDir, bootstrapServer, hubUrl: d.edgehub.server },
    raw: d as Record<string, unknown>,
  });
}

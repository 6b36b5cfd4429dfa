/**
 * `outpost service install edge`: the edge's flags checked as `outpost edge` checks them, made
 * fit for a service (absolute paths, a data directory, a node name), and the join token moved
 * from the command line into the environment file (docs/install.md § Secrets).
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { parseJoinToken } from '../../certs/index.js';
import { loadConfig } from '../../shared/config.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { edgeConfigSchema } from '../../edgecore/config.js';
import type { EdgeFlags } from '../edge-command.js';
import { resolveJoinToken, TOKEN_ENV } from '../join-token-source.js';
import { maskJoinToken, type EnvEntry } from './env-file.js';
import { absolutePaths, type GivenFlag } from './service-args.js';
import { DEFAULT_SERVICE_DATA_DIR, type PreparedService } from './service-plan.js';

const PATH_FLAGS = new Set(['config', 'dataDir', 'tokenFile', 'mqttPasswordFile']);

const nodeNameSchema = edgeConfigSchema.shape.nodeName;
const logLevelSchema = edgeConfigSchema.shape.logLevel;

export async function prepareEdgeService(
  flags: EdgeFlags,
  given: readonly GivenFlag[],
  context: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Result<PreparedService, 'Invalid' | 'ConfigInvalid'>> {
  const notes: string[] = [];
  if (flags.logLevel !== undefined && !logLevelSchema.safeParse(flags.logLevel).success) {
    return fail('ConfigInvalid', `--log-level ${flags.logLevel}: must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  // The token: --token, --token-file or OUTPOST_TOKEN, as `outpost edge` reads it; it goes in the
  // environment file, where `ps` does not show it.
  const token = resolveJoinToken(flags, context.env);
  const parsedToken = token === undefined ? undefined : parseJoinToken(token);
  if (parsedToken !== undefined && !parsedToken.ok) return fail('ConfigInvalid', parsedToken.message);
  let kept = absolutePaths(given.filter((f) => f.attribute !== 'token' && f.attribute !== 'tokenFile'), PATH_FLAGS, context.cwd);
  if (flags.config !== undefined) {
    // The agent reads this file at every start: check it now, not at the service's first start.
    await loadConfig(edgeConfigSchema, { file: resolve(context.cwd, flags.config), overrides: { logLevel: flags.logLevel } });
  } else {
    const nodeName = flags.nodeName ?? hostname().toLowerCase();
    if (!nodeNameSchema.safeParse(nodeName).success) return fail('ConfigInvalid', `node name ${JSON.stringify(nodeName)} must be a lower-case DNS-1123 subdomain: give --node-name`);
    if (flags.nodeName === undefined) {
      kept = [...kept, { flag: '--node-name', attribute: 'nodeName', value: nodeName }];
      notes.push(`node name ${nodeName} (this machine's host name; --node-name sets another)`);
    }
    if (flags.dataDir === undefined) {
      kept = [...kept, { flag: '--data-dir', attribute: 'dataDir', value: DEFAULT_SERVICE_DATA_DIR }];
      notes.push(`data directory ${DEFAULT_SERVICE_DATA_DIR} (--data-dir sets another)`);
    }
    const dataDir = kept.find((f) => f.attribute === 'dataDir')?.value ?? DEFAULT_SERVICE_DATA_DIR;
    const joined = existsSync(join(dataDir, 'edges', nodeName, 'config.yaml'));
    if (!joined && (flags.server === undefined || token === undefined)) {
      return fail('ConfigInvalid', `node ${nodeName} has not joined yet (no ${join(dataDir, 'edges', nodeName, 'config.yaml')}): give --server HOST[:PORT] and the join token (--token, --token-file or ${TOKEN_ENV})`);
    }
  }
  const env: EnvEntry[] = token === undefined ? [] : [{ name: TOKEN_ENV, value: token, masked: maskJoinToken(token) }];
  return ok({ flags: kept, env, notes });
}

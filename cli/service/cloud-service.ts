/**
 * `outpost service install cloud`: the cloud's flags checked as `outpost cloud` checks them (the
 * whole config is loaded and validated), with absolute paths and a data directory, and the
 * cluster secret of the installing shell moved into the environment file (docs/install.md § Secrets).
 */
import { resolve } from 'node:path';
import { fail, ok, type Result } from '../../shared/errors.js';
import { CLUSTER_SECRET_ENV } from '../../cloudcore/identity/index.js';
import { loadCloudConfig, type CloudFlags } from '../cloud-command.js';
import { absolutePaths, type GivenFlag } from './service-args.js';
import { DEFAULT_SERVICE_DATA_DIR, type PreparedService } from './service-plan.js';

const PATH_FLAGS = new Set(['config', 'dataDir', 'tokenAuthFile', 'datastoreCafile', 'datastoreCertfile', 'datastoreKeyfile', 'clusterSecretFile']);

export async function prepareCloudService(
  flags: CloudFlags,
  given: readonly GivenFlag[],
  context: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Result<PreparedService, 'ConfigInvalid'>> {
  const notes: string[] = [];
  let kept = absolutePaths(given, PATH_FLAGS, context.cwd);
  // A data directory of its own unless a config file names one (a flag would override the file).
  if (flags.dataDir === undefined && flags.config === undefined) {
    kept = [...kept, { flag: '--data-dir', attribute: 'dataDir', value: DEFAULT_SERVICE_DATA_DIR }];
    notes.push(`data directory ${DEFAULT_SERVICE_DATA_DIR} (--data-dir sets another)`);
  }
  // The same validation `outpost cloud` runs at start, on the flags the service will have.
  const dataDir = kept.find((f) => f.attribute === 'dataDir')?.value;
  await loadCloudConfig({ ...flags, ...(flags.config === undefined ? {} : { config: resolve(context.cwd, flags.config) }), ...(dataDir === undefined ? {} : { dataDir }) });
  // --cluster-secret-file wins over the environment in `outpost cloud` (docs/identity.md § The cluster secret).
  const secret = flags.clusterSecretFile === undefined ? context.env[CLUSTER_SECRET_ENV]?.trim() : undefined;
  if (secret !== undefined && secret !== '' && secret.length < 16) return fail('ConfigInvalid', `${CLUSTER_SECRET_ENV}: the cluster secret must be at least 16 characters long`);
  const env = secret === undefined || secret === '' ? [] : [{ name: CLUSTER_SECRET_ENV, value: secret, masked: '********' }];
  if (env.length > 0) notes.push(`the cluster secret from ${CLUSTER_SECRET_ENV}, in the environment file`);
  return ok({ flags: kept, env, notes });
}

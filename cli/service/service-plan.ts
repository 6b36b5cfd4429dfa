/**
 * What `outpost service install` writes: the unit and the environment file, with their paths
 * (docs/install.md § The units). Pure: rendering only, the writing is in service-files.ts.
 */
import { join } from 'node:path';
import { ok, type Result } from '../../shared/errors.js';
import { renderEnvFile, type EnvEntry } from './env-file.js';
import { flagTokens, type GivenFlag } from './service-args.js';
import { renderUnit, type ServiceRole } from './unit-file.js';

export const DEFAULT_UNIT_DIR = '/etc/systemd/system';
/** Debian's place for a service's environment (K3s reads /etc/default/%N too). */
export const DEFAULT_ENV_DIR = '/etc/default';
/** A service's data directory when --data-dir is not given (K3s keeps /var/lib/rancher/k3s). */
export const DEFAULT_SERVICE_DATA_DIR = '/var/lib/outpost';

export interface ServiceLocations {
  unitDir: string;
  envDir: string;
}

/** An agent's flags made fit for a unit, and the secrets for its environment file. */
export interface PreparedService {
  flags: GivenFlag[];
  env: EnvEntry[];
  /** What was added for the service, to tell the user. */
  notes: string[];
}

export interface ServicePlan {
  role: ServiceRole;
  /** outpost-edge.service */
  unitName: string;
  unitFile: string;
  envFile: string;
  unit: string;
  env: string;
  /** The environment file with its secrets masked, for --dry-run. */
  envMasked: string;
}

export function serviceName(role: ServiceRole): string {
  return `outpost-${role}`;
}

export function servicePaths(role: ServiceRole, locations: ServiceLocations): { unitName: string; unitFile: string; envFile: string } {
  const name = serviceName(role);
  return { unitName: `${name}.service`, unitFile: join(locations.unitDir, `${name}.service`), envFile: join(locations.envDir, name) };
}

export interface PlanInput {
  role: ServiceRole;
  /** The program that runs the CLI (process.execPath) and the CLI script. */
  program: readonly string[];
  flags: readonly GivenFlag[];
  env: readonly EnvEntry[];
  locations: ServiceLocations;
}

export function planService(input: PlanInput): Result<ServicePlan, 'Invalid'> {
  const paths = servicePaths(input.role, input.locations);
  const unit = renderUnit({ role: input.role, command: [...input.program, input.role, ...flagTokens(input.flags)], envFile: paths.envFile });
  if (!unit.ok) return unit;
  const env = renderEnvFile(paths.unitName, input.env);
  if (!env.ok) return env;
  const envMasked = renderEnvFile(paths.unitName, input.env, true);
  if (!envMasked.ok) return envMasked;
  return ok({ role: input.role, ...paths, unit: unit.value, env: env.value, envMasked: envMasked.value });
}

/**
 * The agent behind each service role, loaded only when that role is asked for: its flag
 * definitions (those of `outpost edge` / `outpost cloud` themselves) and the preparation of its
 * flags for a unit. An edge install on a small machine thus never loads cloudcore's code.
 */
import type { Option } from 'commander';
import type { Result } from '../../shared/errors.js';
import type { CloudFlags } from '../cloud-command.js';
import type { EdgeFlags } from '../edge-command.js';
import type { PreparedService } from './service-plan.js';
import type { GivenFlag } from './service-args.js';
import type { ServiceRole } from './unit-file.js';

export interface AgentRole {
  options: readonly Option[];
  prepare: (flags: EdgeFlags & CloudFlags, given: readonly GivenFlag[], context: { cwd: string; env: NodeJS.ProcessEnv }) => Promise<Result<PreparedService>>;
}

export async function loadAgentRole(role: ServiceRole): Promise<AgentRole> {
  if (role === 'edge') {
    const [{ edgeCommand }, { prepareEdgeService }] = await Promise.all([import('../edge-command.js'), import('./edge-service.js')]);
    return { options: edgeCommand().options, prepare: prepareEdgeService };
  }
  const [{ addCloudFlags }, { prepareCloudService }, { Command }] = await Promise.all([import('../cloud-command.js'), import('./cloud-service.js'), import('commander')]);
  return { options: addCloudFlags(new Command('cloud')).options, prepare: prepareCloudService };
}

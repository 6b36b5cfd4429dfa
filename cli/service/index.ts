export { loadAgentRole, type AgentRole } from './agent-roles.js';
export { readGivenFlags, type GivenFlag } from './service-args.js';
export { removeServiceFiles, writeServiceFiles } from './service-files.js';
export { DEFAULT_ENV_DIR, DEFAULT_SERVICE_DATA_DIR, DEFAULT_UNIT_DIR, planService, servicePaths, type PreparedService, type ServiceLocations, type ServicePlan } from './service-plan.js';
export { realSystemctlDeps, runSystemctl, type CommandOutcome, type SystemctlDeps, type SystemctlOutcome } from './systemctl.js';
export type { ServiceRole } from './unit-file.js';

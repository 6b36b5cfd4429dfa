export { createLeaderElector } from './leader-elector.js';
export type { LeaderElector, LeaderElectorOptions } from './leader-elector.js';
export { createLeaderModules } from './leader-modules.js';
export type { LeaderModules } from './leader-modules.js';
export { leaderIdentity } from './leader-identity.js';
export { readLeaderElectionRecord } from './lease-record.js';
export type { LeaderElectionRecord } from './lease-record.js';

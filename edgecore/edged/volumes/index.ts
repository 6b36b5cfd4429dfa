export { createVolumeManager } from './volume-manager.js';
export type { PodVolumes, VolumeFailure, VolumeManager, VolumeManagerOptions } from './volume-manager.js';
export type { ResolvedVolume } from './volume-setup.js';
export { createServiceAccountTokens } from './service-account-tokens.js';
export type { ServiceAccountCaller, ServiceAccountTokens, TokenOwner } from './service-account-tokens.js';
export { prepareSubPaths } from './sub-paths.js';
export { podVolumesRoot } from './volume-layout.js';
export { podVolumesReference } from './pod-references.js';

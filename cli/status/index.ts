export { gatherStatus } from './gather-status.js';
export { renderStatus } from './render-status.js';
export type { RenderOptions } from './render-status.js';
export { showStatus } from './watch-status.js';
export type { ShowStatusOptions, StatusFormat, StatusOutput } from './watch-status.js';
export type { DeviceView, HealthView, HubView, NodeView, PodView, Section, StatusSnapshot } from './status-snapshot.js';

export { containerdLayout, type ContainerdLayout } from './containerd-layout.js';
export { podNetworkGateway, writeCniConfig } from './cni-config.js';
export {
  createEmbeddedContainerd,
  type ContainerdState,
  type EmbeddedContainerd,
  type EmbeddedContainerdOptions,
} from './embedded-containerd.js';
export { teardownContainerd } from './teardown-containerd.js';

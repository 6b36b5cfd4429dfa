import { mkdirSync, writeFileSync } from 'node:fs';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import type { ContainerdLayout } from './containerd-layout.js';

export interface ContainerdConfigInput {
  layout: ContainerdLayout;
  pauseImage: string;
  cniBinDir: string;
}

/** A TOML basic string: JSON's escaping (\", \\, \n, \uXXXX) is valid TOML. */
function str(value: string): string {
  return JSON.stringify(value);
}

const CRI = 'plugins."io.containerd.grpc.v1.cri"';

/**
 * containerd's config, version 2 (containerd 1.6 docs/cri/config.md), for an instance that
 * shares nothing with any other containerd on the machine: own root, state, sockets, runc state
 * folder, CNI config and stream port (0 = any free port). Facts behind each setting are in
 * docs/containerd-cri.md.
 */
export function renderContainerdConfig(input: ContainerdConfigInput): string {
  const { layout } = input;
  return [
    '# Written by outpost edgecore; rewritten on every start.',
    'version = 2',
    `root = ${str(layout.root)}`,
    `state = ${str(layout.state)}`,
    // Snapshotters this machine cannot use only log errors at start; overlayfs is the one used.
    'disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]',
    '',
    '[grpc]',
    `  address = ${str(layout.socket)}`,
    '',
    '[ttrpc]',
    `  address = ${str(layout.ttrpcSocket)}`,
    '',
    // No debug socket or metrics listener: each would be one more shared name or port.
    '[debug]',
    '  address = ""',
    '',
    '[metrics]',
    '  address = ""',
    '',
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${str(`${layout.dir}/opt`)}`,
    '',
    '[plugins."io.containerd.runtime.v1.linux"]',
    `  runtime_root = ${str(layout.runcRoot)}`,
    '',
    `[${CRI}]`,
    `  sandbox_image = ${str(input.pauseImage)}`,
    // REQUIRED here: root lacks CAP_SYS_RESOURCE, and without it every RunPodSandbox fails with
    // "can't get final child's PID from pipe: EOF".
    '  restrict_oom_score_adj = true',
    '  netns_mounts_under_state_dir = true',
    '  enable_selinux = false',
    '  stream_server_address = "127.0.0.1"',
    '  stream_server_port = "0"',
    '',
    `[${CRI}.containerd]`,
    '  snapshotter = "overlayfs"',
    '  default_runtime_name = "runc"',
    '',
    `[${CRI}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    '',
    `[${CRI}.containerd.runtimes.runc.options]`,
    `  Root = ${str(layout.runcRoot)}`,
    // cgroups v1 with cgroupfs: no systemd manages these cgroups.
    '  SystemdCgroup = false',
    '',
    `[${CRI}.cni]`,
    `  bin_dir = ${str(input.cniBinDir)}`,
    `  conf_dir = ${str(layout.cniConfDir)}`,
    '  max_conf_num = 1',
    '',
  ].join('\n');
}

/** Writes the config file (0600: it names every folder of this edge's runtime). */
export function writeContainerdConfig(input: ContainerdConfigInput): Result<void> {
  try {
    mkdirSync(input.layout.dir, { recursive: true, mode: 0o700 });
    writeFileSync(input.layout.configFile, renderContainerdConfig(input), { mode: 0o600 });
    return ok(undefined);
  } catch (err) {
    return fail('Internal', `writing ${input.layout.configFile}: ${errorMessage(err)}`);
  }
}

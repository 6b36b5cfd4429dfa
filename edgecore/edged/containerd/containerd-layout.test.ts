import { describe, expect, it } from 'vitest';
import { renderContainerdConfig } from './containerd-config-file.js';
import { containerdLayout, MAX_SOCKET_PATH_BYTES, usesShortSocketDir } from './containerd-layout.js';
import { cniConflist, podNetworkGateway, validatePodCidr } from './cni-config.js';

describe('containerdLayout', () => {
  it('keeps sockets in the edge folder when the path is short enough', () => {
    const layout = containerdLayout('/var/lib/outpost/edges/node-1');
    expect(layout.socket).toBe('/var/lib/outpost/edges/node-1/containerd/containerd.sock');
    expect(layout.ttrpcSocket).toBe('/var/lib/outpost/edges/node-1/containerd/containerd.sock.ttrpc');
    expect(usesShortSocketDir(layout)).toBe(false);
  });

  it('moves sockets to a short, deterministic folder when the edge folder is deep', () => {
    const deep = `/tmp/${'d'.repeat(120)}/edges/node-1`;
    const layout = containerdLayout(deep);
    expect(usesShortSocketDir(layout)).toBe(true);
    expect(layout.socket).toMatch(/^\/run\/outpost\/[0-9a-f]{16}\/containerd\.sock$/);
    expect(Buffer.byteLength(layout.ttrpcSocket)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
    expect(containerdLayout(deep).socket).toBe(layout.socket);
    expect(layout.root.startsWith(deep)).toBe(true);
  });

  it('gives each edge folder its own bridge name within the 15-character limit', () => {
    const a = containerdLayout('/data/edges/a');
    const b = containerdLayout('/data/edges/b');
    expect(a.bridgeName).not.toBe(b.bridgeName);
    expect(a.bridgeName.length).toBeLessThanOrEqual(15);
    expect(a.bridgeName).toMatch(/^op[0-9a-f]+$/);
    expect(containerdLayout('/data/edges/a/').bridgeName).toBe(a.bridgeName);
  });
});

describe('containerd config', () => {
  it('writes a version 2 config with the settings this machine needs', () => {
    const layout = containerdLayout('/data/edges/a');
    const toml = renderContainerdConfig({ layout, pauseImage: 'outpost.local/pause:1', cniBinDir: '/usr/lib/cni' });
    expect(toml).toContain('version = 2');
    expect(toml).toContain(`root = "${layout.root}"`);
    expect(toml).toContain(`state = "${layout.state}"`);
    expect(toml).toContain(`address = "${layout.socket}"`);
    expect(toml).toContain(`address = "${layout.ttrpcSocket}"`);
    expect(toml).toContain(`Root = "${layout.runcRoot}"`);
    expect(toml).toContain('restrict_oom_score_adj = true');
    expect(toml).toContain('netns_mounts_under_state_dir = true');
    expect(toml).toContain('sandbox_image = "outpost.local/pause:1"');
    expect(toml).toContain('SystemdCgroup = false');
    expect(toml).toContain(`conf_dir = "${layout.cniConfDir}"`);
    expect(toml).toContain('bin_dir = "/usr/lib/cni"');
    expect(toml).toContain('io.containerd.snapshotter.v1.devmapper');
  });

  it('escapes paths as TOML strings', () => {
    const layout = containerdLayout('/data/edges/we"ird');
    const toml = renderContainerdConfig({ layout, pauseImage: 'p', cniBinDir: '/b' });
    expect(toml).toContain('root = "/data/edges/we\\"ird/containerd/root"');
  });
});

describe('CNI config', () => {
  it('is a bridge with host-local IPAM in the edge folder, then portmap', () => {
    const layout = containerdLayout('/data/edges/a');
    const list = cniConflist(layout, '10.201.3.0/24') as { name: string; plugins: Record<string, unknown>[] };
    expect(list.name).toMatch(/^outpost-[0-9a-f]{12}$/);
    expect(list.plugins[0]).toMatchObject({
      type: 'bridge',
      bridge: layout.bridgeName,
      isGateway: true,
      ipMasq: true,
      hairpinMode: true,
      ipam: { type: 'host-local', ranges: [[{ subnet: '10.201.3.0/24', gateway: '10.201.3.1' }]], dataDir: layout.cniDataDir },
    });
    expect(list.plugins[1]).toMatchObject({ type: 'portmap', capabilities: { portMappings: true } });
  });

  it('names the bridge gateway: the first address of the pod CIDR', () => {
    expect(podNetworkGateway('10.42.3.0/24')).toEqual({ ok: true, value: '10.42.3.1' });
    expect(podNetworkGateway('10.201.0.0/16')).toEqual({ ok: true, value: '10.201.0.1' });
    expect(podNetworkGateway('fd00::/64').ok).toBe(false);
  });

  it('refuses a pod CIDR that is not IPv4', () => {
    expect(validatePodCidr('10.42.1.0/24').ok).toBe(true);
    expect(validatePodCidr('10.42.1.0').ok).toBe(false);
    expect(validatePodCidr('300.1.1.0/24').ok).toBe(false);
    expect(validatePodCidr('fd00::/64').ok).toBe(false);
    expect(validatePodCidr('10.0.0.0/31').ok).toBe(false);
  });
});

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import { formatIpv4, parseIpv4Cidr } from '../../../shared/ipv4-cidr.js';
import type { ContainerdLayout } from './containerd-layout.js';
import { runCommand } from '../run-command.js';

/** Where Debian's containernetworking-plugins installs when dpkg cannot tell us. */
const FALLBACK_CNI_BIN_DIR = '/usr/lib/cni';
const CONFLIST_NAME = '10-outpost.conflist';

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** A pod CIDR must be IPv4 with a prefix that leaves room for a gateway and pods. */
export function validatePodCidr(podCidr: string): Result<void> {
  const match = IPV4_CIDR.exec(podCidr);
  if (match === null) return fail('Invalid', `pod CIDR ${podCidr} is not an IPv4 CIDR (a.b.c.d/n)`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255)) return fail('Invalid', `pod CIDR ${podCidr} has an octet above 255`);
  if (prefix < 8 || prefix > 29) return fail('Invalid', `pod CIDR ${podCidr}: prefix must be between /8 and /29`);
  return ok(undefined);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    // Missing or unreadable: not a plugin folder candidate.
    return false;
  }
}

/** The folder of the CNI plugins of the Debian package: the one `dpkg -L` lists holding `bridge`. */
export async function findCniPluginDir(): Promise<string> {
  const listed = await runCommand('dpkg', ['-L', 'containernetworking-plugins'], { timeoutMs: 15_000 });
  if (listed.ok) {
    const bridge = listed.value.stdout
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.endsWith('/bridge') && isFile(line));
    if (bridge !== undefined) return bridge.slice(0, -'/bridge'.length);
  }
  return FALLBACK_CNI_BIN_DIR;
}

/**
 * The bridge's own address in the pod subnet: its first address, which host-local IPAM would pick
 * by default too; it is written into the conflist so it is a fact, not a default. Pods reach their
 * node there, and MetaServer's pod-network listener binds to it (docs/edge-metaserver.md § Access).
 */
export function podNetworkGateway(podCidr: string): Result<string> {
  const valid = validatePodCidr(podCidr);
  if (!valid.ok) return valid;
  const cidr = parseIpv4Cidr(podCidr);
  if (!cidr.ok) return cidr;
  return ok(formatIpv4(cidr.value.network + 1));
}

/**
 * The network configuration list (CNI spec, conflist format): a bridge of this edge with
 * host-local IPAM in its own data folder, then portmap so hostPort works. The network name is
 * per edge so iptables chains and IPAM leases never mix between edges on one machine.
 */
export function cniConflist(layout: ContainerdLayout, podCidr: string): Record<string, unknown> {
  const network = `outpost-${createHash('sha256').update(layout.dir).digest('hex').slice(0, 12)}`;
  return {
    cniVersion: '1.0.0',
    name: network,
    plugins: [
      {
        type: 'bridge',
        bridge: layout.bridgeName,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: podCidr, ...gatewayOf(podCidr) }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: layout.cniDataDir,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}

function gatewayOf(podCidr: string): { gateway?: string } {
  const gateway = podNetworkGateway(podCidr);
  return gateway.ok ? { gateway: gateway.value } : {};
}

/** Writes the one conflist of this edge's CNI conf_dir, removing any other file there (the CRI plugin loads the first by name). */
export function writeCniConfig(layout: ContainerdLayout, podCidr: string): Result<void> {
  const valid = validatePodCidr(podCidr);
  if (!valid.ok) return valid;
  try {
    mkdirSync(layout.cniConfDir, { recursive: true, mode: 0o700 });
    mkdirSync(layout.cniDataDir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(layout.cniConfDir)) {
      if (name !== CONFLIST_NAME) unlinkSync(join(layout.cniConfDir, name));
    }
    writeFileSync(join(layout.cniConfDir, CONFLIST_NAME), JSON.stringify(cniConflist(layout, podCidr), null, 2) + '\n');
    return ok(undefined);
  } catch (err) {
    return fail('Internal', `writing CNI config in ${layout.cniConfDir}: ${errorMessage(err)}`);
  }
}

import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { fail, ok, type Result } from '../../shared/errors.js';
import { cidrContains, parseIpv4Cidr } from '../../shared/ipv4-cidr.js';

/**
 * Refuses a pod subnet that another interface of this host already uses (another edge's bridge,
 * a LAN, a VPN): a second bridge with the same addresses would send pod traffic to the wrong
 * place without a word. The edge's own bridge, from an earlier start, is of course allowed.
 */
export function checkPodCidrFree(podCidr: string, ownBridge: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): Result<void> {
  const cidr = parseIpv4Cidr(podCidr);
  if (!cidr.ok) return fail('Invalid', `the node's spec.podCIDR ${podCidr}: ${cidr.message}`);
  for (const [name, addresses] of Object.entries(interfaces)) {
    if (name === ownBridge) continue;
    for (const address of addresses ?? []) {
      if (address.family !== 'IPv4' || !cidrContains(cidr.value, address.address)) continue;
      return fail('Conflict', `the node's pod subnet ${podCidr} overlaps address ${address.address} of interface ${name} on this host: give the cloud a --cluster-cidr that this machine does not use`);
    }
  }
  return ok(undefined);
}

import { fail, ok, type Result } from './errors.js';

/** An IPv4 CIDR as numbers: the network address and the prefix length. */
export interface Ipv4Cidr {
  network: number;
  prefix: number;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function parseIpv4Cidr(text: string): Result<Ipv4Cidr> {
  const [address, bits, ...rest] = text.split('/');
  const ip = address === undefined ? undefined : parseIpv4(address);
  const prefix = Number(bits);
  if (ip === undefined || rest.length > 0 || bits === undefined || !/^\d{1,2}$/.test(bits) || prefix > 32) {
    return fail('Invalid', `${JSON.stringify(text)} is not an IPv4 CIDR (e.g. 10.42.0.0/16)`);
  }
  const size = 2 ** (32 - prefix);
  if (ip % size !== 0) return fail('Invalid', `${text} has host bits set: the network is ${formatIpv4(ip - (ip % size))}/${prefix}`);
  return ok({ network: ip, prefix });
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/**
 * The node subnets of a cluster range, as kube-controller-manager's range allocator cuts them
 * (`--cluster-cidr`, `--node-cidr-mask-size`): subnet i is the i-th block of that size.
 */
export class SubnetRange {
  readonly count: number;

  constructor(
    readonly cluster: Ipv4Cidr,
    readonly maskSize: number,
  ) {
    this.count = 2 ** (maskSize - cluster.prefix);
  }

  subnet(index: number): string {
    return formatCidr({ network: this.cluster.network + index * 2 ** (32 - this.maskSize), prefix: this.maskSize });
  }

  /** The index of a subnet of this range, or undefined for anything else. */
  indexOf(cidr: string): number | undefined {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed.ok || parsed.value.prefix !== this.maskSize) return undefined;
    const offset = parsed.value.network - this.cluster.network;
    const index = offset / 2 ** (32 - this.maskSize);
    return offset >= 0 && index < this.count ? index : undefined;
  }
}

/** Whether an IPv4 address lies inside the range. */
export function cidrContains(cidr: Ipv4Cidr, address: string): boolean {
  const ip = parseIpv4(address);
  return ip !== undefined && ip >= cidr.network && ip < cidr.network + 2 ** (32 - cidr.prefix);
}

/**
 * A pod's DNS settings, as kubelet computes them (pkg/kubelet/network/dns GetPodDNS):
 * - dnsPolicy None: only spec.dnsConfig.
 * - ClusterFirst (not host network) and ClusterFirstWithHostNet: the cluster DNS servers,
 *   searches `<ns>.svc.<domain> svc.<domain> <domain>` then the host's, options `ndots:5`. With no
 *   cluster DNS configured, kubelet warns (MissingClusterDNS) and falls back to Default.
 * - Default, and ClusterFirst on the host network: the host's resolv.conf. With no resolv.conf
 *   (kubelet --resolv-conf=""), 127.0.0.1 and search ".".
 * Then spec.dnsConfig is appended (duplicates dropped, options merged by name) and the result cut
 * to the resolver's limits (3 servers, 32 searches of at most 253 characters, 2048 in all).
 */
import type { DnsConfig } from '../cri/index.js';
import type { WarningSink } from './outcomes.js';
import type { Pod } from './pod-schema.js';
import { mergeOptions, type ResolvConf } from './resolv-conf.js';

export interface ClusterDns {
  /** kubelet --cluster-dns. */
  servers?: string[] | undefined;
  /** Searches placed first for ClusterFirst pods; default from domain. */
  searches?: string[] | undefined;
  /** kubelet --cluster-domain. */
  domain?: string | undefined;
}

const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_LENGTH = 253;
const MAX_SEARCH_LINE = 2048;
const CLUSTER_OPTIONS = ['ndots:5'];

type DnsKind = 'none' | 'cluster' | 'host';

function dnsKind(pod: Pod): DnsKind {
  switch (pod.spec.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'ClusterFirst':
      return pod.spec.hostNetwork === true ? 'host' : 'cluster';
    case 'Default':
      return 'host';
  }
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/** `host` is the parsed host resolv.conf, or undefined when there is none. */
export function podDnsConfig(pod: Pod, host: ResolvConf | undefined, cluster: ClusterDns, onWarning?: WarningSink): DnsConfig {
  let kind = dnsKind(pod);
  let config: Required<DnsConfig> = { servers: [...(host?.nameservers ?? [])], searches: [...(host?.searches ?? [])], options: [...(host?.options ?? [])] };
  if (kind === 'none') config = { servers: [], searches: [], options: [] };
  if (kind === 'cluster') {
    const servers = cluster.servers ?? [];
    if (servers.length > 0) {
      const domain = cluster.domain ?? '';
      const clusterSearches = cluster.searches ?? (domain === '' ? [] : [`${pod.metadata.namespace}.svc.${domain}`, `svc.${domain}`, domain]);
      config = { servers: [...servers], searches: unique([...clusterSearches, ...config.searches]), options: [...CLUSTER_OPTIONS] };
    } else {
      onWarning?.({
        reason: 'MissingClusterDNS',
        message: `pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`,
      });
      kind = 'host';
    }
  }
  if (kind === 'host' && host === undefined) config = { servers: ['127.0.0.1'], searches: ['.'], options: [] };
  const extra = pod.spec.dnsConfig;
  if (extra !== undefined) {
    config.servers = unique([...config.servers, ...(extra.nameservers ?? [])]);
    config.searches = unique([...config.searches, ...(extra.searches ?? [])]);
    config.options = mergeOptions(config.options, (extra.options ?? []).map((o) => (o.value === undefined || o.value === '' ? o.name : `${o.name}:${o.value}`)));
  }
  return fitLimits(config, onWarning);
}

function fitLimits(config: Required<DnsConfig>, onWarning?: WarningSink): DnsConfig {
  let servers = config.servers;
  if (servers.length > MAX_NAMESERVERS) {
    servers = servers.slice(0, MAX_NAMESERVERS);
    onWarning?.({ reason: 'DNSConfigForming', message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${servers.join(' ')}` });
  }
  let searches = config.searches.slice(0, MAX_SEARCHES).filter((s) => s.length <= MAX_SEARCH_LENGTH);
  let cut = searches.length !== config.searches.length;
  while (searches.join(' ').length > MAX_SEARCH_LINE) {
    searches = searches.slice(0, -1);
    cut = true;
  }
  if (cut) onWarning?.({ reason: 'DNSConfigForming', message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}` });
  return { servers, searches, options: config.options };
}

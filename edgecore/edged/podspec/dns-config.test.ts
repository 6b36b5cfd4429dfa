import { describe, expect, it } from 'vitest';
import { podDnsConfig } from './dns-config.js';
import type { PodSpecWarning } from './outcomes.js';
import { parsePod } from './parse-pod.js';
import type { Pod } from './pod-schema.js';
import { parseResolvConf } from './resolv-conf.js';

const HOST = parseResolvConf(`# generated
nameserver 192.168.1.1
nameserver  9.9.9.9
search old.example
search corp.example. . lab.example
options ndots:2 timeout:1
options ndots:3 rotate
nameserver
`);

function podWith(spec: Record<string, unknown> = {}): Pod {
  const parsed = parsePod({ metadata: { name: 'p', namespace: 'shop', uid: 'u' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

describe('parseResolvConf', () => {
  it('collects nameservers, keeps the last search line (normalised), merges options by name', () => {
    expect(HOST).toEqual({ nameservers: ['192.168.1.1', '9.9.9.9'], searches: ['corp.example', 'lab.example'], options: ['ndots:3', 'timeout:1', 'rotate'] });
  });
});

describe('podDnsConfig', () => {
  const cluster = { servers: ['10.43.0.10'], domain: 'cluster.local' };

  it('ClusterFirst with cluster DNS: cluster servers, cluster then host searches, ndots:5', () => {
    expect(podDnsConfig(podWith(), HOST, cluster)).toEqual({
      servers: ['10.43.0.10'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
      options: ['ndots:5'],
    });
  });

  it('ClusterFirst with explicit searches uses them instead of the domain ones', () => {
    expect(podDnsConfig(podWith(), HOST, { servers: ['10.43.0.10'], searches: ['edge.local'] }).searches).toEqual(['edge.local', 'corp.example', 'lab.example']);
  });

  it('ClusterFirst without cluster DNS falls back to the host with a MissingClusterDNS warning', () => {
    const warnings: PodSpecWarning[] = [];
    expect(podDnsConfig(podWith(), HOST, {}, (w) => warnings.push(w))).toEqual({ servers: HOST.nameservers, searches: HOST.searches, options: HOST.options });
    expect(warnings.map((w) => w.reason)).toEqual(['MissingClusterDNS']);
  });

  it('Default, and ClusterFirst on the host network, copy the host resolv.conf', () => {
    const expected = { servers: HOST.nameservers, searches: HOST.searches, options: HOST.options };
    expect(podDnsConfig(podWith({ dnsPolicy: 'Default' }), HOST, cluster)).toEqual(expected);
    expect(podDnsConfig(podWith({ hostNetwork: true }), HOST, cluster)).toEqual(expected);
  });

  it('ClusterFirstWithHostNet on the host network uses the cluster DNS', () => {
    expect(podDnsConfig(podWith({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), HOST, cluster).servers).toEqual(['10.43.0.10']);
  });

  it('without a host resolv.conf, Default resolves through 127.0.0.1 with search "."', () => {
    expect(podDnsConfig(podWith({ dnsPolicy: 'Default' }), undefined, cluster)).toEqual({ servers: ['127.0.0.1'], searches: ['.'], options: [] });
  });

  it('None uses only spec.dnsConfig; dnsConfig is appended without duplicates and options override by name', () => {
    const dnsConfig = { nameservers: ['1.1.1.1', '1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }] };
    expect(podDnsConfig(podWith({ dnsPolicy: 'None', dnsConfig }), HOST, cluster)).toEqual({ servers: ['1.1.1.1'], searches: ['a.example'], options: ['ndots:1', 'edns0'] });
    expect(podDnsConfig(podWith({ dnsConfig }), HOST, cluster)).toEqual({
      servers: ['10.43.0.10', '1.1.1.1'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example', 'a.example'],
      options: ['ndots:1', 'edns0'],
    });
  });

  it('cuts to 3 nameservers and the search limits, with DNSConfigForming warnings', () => {
    const warnings: PodSpecWarning[] = [];
    const searches = Array.from({ length: 40 }, (_, i) => `s${i}.${'x'.repeat(60)}`);
    const config = podDnsConfig(podWith({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'], searches: ['y'.repeat(254), ...searches] } }), undefined, {}, (w) => warnings.push(w));
    expect(config.servers).toEqual(['1.1.1.1', '2.2.2.2', '3.3.3.3']);
    expect(config.searches?.includes('y'.repeat(254))).toBe(false);
    expect((config.searches ?? []).length).toBeLessThanOrEqual(32);
    expect((config.searches ?? []).join(' ').length).toBeLessThanOrEqual(2048);
    expect(config.searches?.[0]).toBe(searches[0]);
    expect(warnings.map((w) => w.reason)).toEqual(['DNSConfigForming', 'DNSConfigForming']);
  });
});

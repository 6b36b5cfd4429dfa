import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../shared/errors.js';
import { LABELS, ANNOTATIONS } from './labels.js';
import { parsePod } from './parse-pod.js';
import type { Pod } from './pod-schema.js';
import { buildSandboxConfig, containerPortMappings, type SandboxOptions } from './sandbox-config.js';

function podWith(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Pod {
  const parsed = parsePod({
    metadata: { name: 'web-0', namespace: 'shop', uid: 'uid-1', labels: { app: 'web' }, annotations: { note: 'x' }, ...metadata },
    spec: { containers: [{ name: 'app', image: 'outpost.local/busybox:1' }], ...spec },
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

const options: SandboxOptions = { logRoot: '/data/logs', attempt: 2, dnsServers: ['10.43.0.10'], clusterDomain: 'cluster.local', readFile: () => ok('nameserver 192.168.1.1\nsearch lan\n') };

function build(pod: Pod, extra: Partial<SandboxOptions> = {}) {
  const result = buildSandboxConfig(pod, { ...options, ...extra });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('buildSandboxConfig', () => {
  it('builds metadata, hostname, log folder, DNS, labels, annotations and Linux options', () => {
    expect(build(podWith({ terminationGracePeriodSeconds: 10 }))).toEqual({
      metadata: { name: 'web-0', namespace: 'shop', uid: 'uid-1', attempt: 2 },
      hostname: 'web-0',
      logDirectory: '/data/logs/shop_web-0_uid-1',
      dnsConfig: { servers: ['10.43.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lan'], options: ['ndots:5'] },
      labels: { app: 'web', [LABELS.podName]: 'web-0', [LABELS.podNamespace]: 'shop', [LABELS.podUid]: 'uid-1', [LABELS.managedBy]: 'edged' },
      annotations: { note: 'x', [ANNOTATIONS.terminationGracePeriod]: '10' },
      linux: { securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' }, privileged: false } },
    });
  });

  it('leaves cgroup_parent out', () => {
    expect(build(podWith()).linux?.cgroupParent).toBeUndefined();
  });

  it('uses spec.hostname over the pod name and cuts long names to 63 without a trailing - or .', () => {
    expect(build(podWith({ hostname: 'kiosk' })).hostname).toBe('kiosk');
    const long = `${'a'.repeat(61)}-.bcd`;
    expect(build(podWith({}, { name: long })).hostname).toBe('a'.repeat(61));
  });

  it('refuses a hostname or subdomain that is not a DNS label', () => {
    const result = buildSandboxConfig(podWith({ hostname: 'Not_Valid' }), options);
    expect(result).toMatchObject({ ok: false, code: 'Invalid', reason: 'CreatePodSandboxError' });
    expect(!result.ok && result.message).toMatch(/^pod Hostname "Not_Valid" is not a valid DNS label/);
    expect(buildSandboxConfig(podWith({ subdomain: 'a.b' }), options)).toMatchObject({ ok: false, reason: 'CreatePodSandboxError' });
  });

  it('host network: empty hostname, NODE network namespace, the host resolv.conf', () => {
    const config = build(podWith({ hostNetwork: true, hostname: 'ignored' }));
    expect(config.hostname).toBe('');
    expect(config.linux?.securityContext?.namespaceOptions).toEqual({ network: 'NODE', pid: 'CONTAINER', ipc: 'POD' });
    expect(config.dnsConfig).toEqual({ servers: ['192.168.1.1'], searches: ['lan'], options: [] });
  });

  it.each([
    [{ hostPID: true }, { network: 'POD', pid: 'NODE', ipc: 'POD' }],
    [{ shareProcessNamespace: true }, { network: 'POD', pid: 'POD', ipc: 'POD' }],
    [{ hostIPC: true }, { network: 'POD', pid: 'CONTAINER', ipc: 'NODE' }],
    [{ hostIPC: true, hostPID: true, hostNetwork: true, shareProcessNamespace: true }, { network: 'NODE', pid: 'NODE', ipc: 'NODE' }],
  ])('namespace modes for %j', (spec, expected) => {
    expect(build(podWith(spec)).linux?.securityContext?.namespaceOptions).toEqual(expected);
  });

  it('is privileged when any container or init container is, and carries pod-level user, groups and sysctls', () => {
    const pod = podWith({
      initContainers: [{ name: 'init', image: 'i', securityContext: { privileged: true } }],
      securityContext: { runAsUser: 1000, runAsGroup: 2000, fsGroup: 3000, supplementalGroups: [4000], sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] },
    });
    expect(build(pod).linux).toEqual({
      securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' }, privileged: true, runAsUser: { value: 1000 }, runAsGroup: { value: 2000 }, supplementalGroups: [3000, 4000] },
      sysctls: { 'net.ipv4.ip_forward': '1' },
    });
  });

  it('maps every container port with a hostPort; protocol defaults to TCP', () => {
    const pod = podWith({
      containers: [
        { name: 'a', image: 'i', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, hostPort: 5353, protocol: 'UDP', hostIP: '127.0.0.1' }, { containerPort: 9090 }] },
        { name: 'b', image: 'i', ports: [{ containerPort: 3868, hostPort: 3868, protocol: 'SCTP' }] },
      ],
      initContainers: [{ name: 'init', image: 'i', ports: [{ containerPort: 1, hostPort: 1 }] }],
    });
    expect(build(pod).portMappings).toEqual([
      { protocol: 'TCP', containerPort: 80, hostPort: 8080 },
      { protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '127.0.0.1' },
      { protocol: 'SCTP', containerPort: 3868, hostPort: 3868 },
    ]);
    expect(build(podWith()).portMappings).toBeUndefined();
  });

  it('counts a port listed twice once (by name, or by family/protocol/ports when unnamed)', () => {
    const ports = [
      { name: 'http', containerPort: 80, hostPort: 8080 },
      { name: 'http', containerPort: 81, hostPort: 8081 },
      { containerPort: 90, hostPort: 9090 },
      { containerPort: 90, hostPort: 9090 },
      { containerPort: 90, hostPort: 9090, protocol: 'UDP' },
    ];
    const pod = podWith({ containers: [{ name: 'a', image: 'i', ports }] });
    const container = pod.spec.containers[0];
    expect(container && containerPortMappings(container)).toEqual([
      { protocol: 'TCP', containerPort: 80, hostPort: 8080 },
      { protocol: 'TCP', containerPort: 90, hostPort: 9090 },
      { protocol: 'UDP', containerPort: 90, hostPort: 9090 },
    ]);
  });

  it('reads resolv.conf through the injected reader; a missing file means 127.0.0.1, a read error fails', () => {
    const paths: string[] = [];
    build(podWith({ dnsPolicy: 'Default' }), { resolvConfPath: '/etc/other.conf', readFile: (path) => (paths.push(path), ok('')) });
    expect(paths).toEqual(['/etc/other.conf']);
    expect(build(podWith({ dnsPolicy: 'Default' }), { readFile: () => ok(undefined) }).dnsConfig).toEqual({ servers: ['127.0.0.1'], searches: ['.'], options: [] });
    expect(build(podWith({ dnsPolicy: 'Default' }), { resolvConfPath: '', readFile: () => fail('Internal', 'must not be read') }).dnsConfig?.servers).toEqual(['127.0.0.1']);
    expect(buildSandboxConfig(podWith(), { ...options, readFile: () => fail('Unavailable', 'cannot read /etc/resolv.conf: EACCES') })).toEqual({
      ok: false,
      code: 'Unavailable',
      message: 'cannot read /etc/resolv.conf: EACCES',
      reason: 'CreatePodSandboxError',
    });
  });

  it('reports MissingClusterDNS when ClusterFirst has no cluster DNS', () => {
    const reasons: string[] = [];
    build(podWith(), { dnsServers: undefined, onWarning: (w) => reasons.push(w.reason) });
    expect(reasons).toEqual(['MissingClusterDNS']);
  });
});

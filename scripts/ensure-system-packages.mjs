#!/usr/bin/env node
// Installs the Debian packages Outpost's tests and demo need, when they are missing.
// Runs before `npm test` and `npm start`. It says what it installs and why; it never removes anything.
import { execFileSync, spawnSync } from 'node:child_process';

const PACKAGES = [
  'containerd', // the container runtime edged talks CRI to
  'runc',
  'containernetworking-plugins', // bridge, host-local and portmap CNI plugins (containerd does not pull them in)
  'umoci', // builds the small local OCI images tests and the demo run (no registry is reachable)
  'busybox-static',
  'mosquitto', // reference MQTT broker for the device-twin tests
  'mosquitto-clients', // mosquitto_pub / mosquitto_sub
  'iproute2',
  'curl', // the README walk-through (and its test) reads the pod and MetaServer with it
  'jq', // the README walk-through reads endpoints.json and MQTT messages with it
  'etcd-server', // the etcd datastore backend: tests run their own members on loopback ports
  'python3-kubernetes', // Debian's Kubernetes Python client: the client-compatibility and in-cluster tests use it with /usr/bin/python3
  'systemd', // systemd-analyze: the service tests verify the units `outpost service install` writes
];

function isInstalled(pkg) {
  const res = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return res.status === 0 && res.stdout.includes('install ok installed');
}

if (process.platform !== 'linux' || spawnSync('dpkg-query', ['--version']).status !== 0) {
  console.log('[outpost] not a Debian system: skipping system package check');
  process.exit(0);
}

const missing = PACKAGES.filter((pkg) => !isInstalled(pkg));
if (missing.length === 0) process.exit(0);

if (typeof process.getuid === 'function' && process.getuid() !== 0) {
  console.error(`[outpost] missing Debian packages: ${missing.join(' ')}`);
  console.error('[outpost] not root, so not installing them; run: sudo apt-get install -y ' + missing.join(' '));
  process.exit(0);
}

{
  console.log(`[outpost] running as root: installing missing Debian packages: ${missing.join(' ')}`);
}
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
} catch {
  // The package lists may be missing or stale on a fresh machine: refresh once and retry.
  console.log('[outpost] apt-get install failed; running apt-get update and retrying');
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

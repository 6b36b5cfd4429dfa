import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

/** Where one edge's own containerd keeps everything (docs/architecture.md § Processes, ports and data: <data>/edges/<node>/). */
export interface ContainerdLayout {
  /** <edgeDir>/containerd */
  dir: string;
  root: string;
  state: string;
  /** runc's state folder (runc option Root), so runc never shares the host's default. */
  runcRoot: string;
  /** containerd's gRPC socket (CRI and ctr). */
  socket: string;
  ttrpcSocket: string;
  pidFile: string;
  configFile: string;
  logFile: string;
  cniConfDir: string;
  /** host-local IPAM's dataDir: the leases of this edge's pod IPs. */
  cniDataDir: string;
  /** The Linux bridge of this edge's pods (at most 15 characters, IFNAMSIZ - 1). */
  bridgeName: string;
}

/**
 * sun_path is 108 bytes including the terminating NUL (unix(7)), so a socket path may have at
 * most 107 bytes. The ttrpc socket is the longer of the two names.
 */
export const MAX_SOCKET_PATH_BYTES = 107;

/** Short, deterministic socket folder for edges whose folder is deep (docs/architecture.md § Processes, ports and data). */
export const SHORT_SOCKET_BASE = '/run/outpost';

function edgeHash(edgeDir: string): string {
  return createHash('sha256').update(resolve(edgeDir)).digest('hex');
}

/** The folder that holds the sockets: inside the edge folder when short enough, else /run/outpost/<hash>/. */
export function socketDirFor(edgeDir: string): string {
  const natural = join(resolve(edgeDir), 'containerd');
  const longest = join(natural, 'containerd.sock.ttrpc');
  if (Buffer.byteLength(longest) <= MAX_SOCKET_PATH_BYTES) return natural;
  return join(SHORT_SOCKET_BASE, edgeHash(edgeDir).slice(0, 16));
}

/** True when the sockets live outside the edge folder and their folder must be created 0700. */
export function usesShortSocketDir(layout: ContainerdLayout): boolean {
  return !layout.socket.startsWith(layout.dir + '/');
}

/** The layout of the containerd of the edge whose folder is `edgeDir` (<dataDir>/edges/<node>). */
export function containerdLayout(edgeDir: string): ContainerdLayout {
  const dir = join(resolve(edgeDir), 'containerd');
  const socketDir = socketDirFor(edgeDir);
  return {
    dir,
    root: join(dir, 'root'),
    state: join(dir, 'state'),
    runcRoot: join(dir, 'runc'),
    socket: join(socketDir, 'containerd.sock'),
    ttrpcSocket: join(socketDir, 'containerd.sock.ttrpc'),
    pidFile: join(dir, 'containerd.pid'),
    configFile: join(dir, 'config.toml'),
    logFile: join(dir, 'containerd.log'),
    cniConfDir: join(dir, 'cni', 'net.d'),
    cniDataDir: join(dir, 'cni', 'networks'),
    // "op" + 10 hex digits = 12 characters, under the 15 the kernel allows for interface names.
    bridgeName: `op${edgeHash(edgeDir).slice(0, 10)}`,
  };
}

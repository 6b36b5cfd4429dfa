/** The edge's data layout (DESIGN § Processes): everything for node N under <E>/edges/<N>/. */
import { join, resolve } from 'node:path';

export interface EdgePaths {
  edgeDir: string;
  pkiDir: string;
  caCert: string;
  nodeCert: string;
  nodeKey: string;
  /** A new key written before its certificate; see node-credentials.ts. */
  nextKey: string;
  configFile: string;
  /** The bootstrap endpoint's address, for renewals (kept out of config.yaml, which edgecore's schema owns). */
  bootstrapFile: string;
  database: string;
  endpoints: string;
  /** The bearer token (mode 0600) that lets a caller read secrets from MetaServer. */
  metaserverToken: string;
}

export function edgePaths(dataDir: string, nodeName: string): EdgePaths {
  // Absolute: containerd, runc and CNI get these paths (a pod's volumes among them) and resolve
  // them from their own working folders, not ours.
  const edgeDir = resolve(dataDir, 'edges', nodeName);
  const pkiDir = join(edgeDir, 'pki');
  return {
    edgeDir,
    pkiDir,
    caCert: join(pkiDir, 'ca.crt'),
    nodeCert: join(pkiDir, 'node.crt'),
    nodeKey: join(pkiDir, 'node.key'),
    nextKey: join(pkiDir, 'node.key.next'),
    configFile: join(edgeDir, 'config.yaml'),
    bootstrapFile: join(edgeDir, 'bootstrap.yaml'),
    database: join(edgeDir, 'edge.db'),
    endpoints: join(edgeDir, 'endpoints.json'),
    metaserverToken: join(edgeDir, 'metaserver.token'),
  };
}

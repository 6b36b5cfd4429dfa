/**
 * The packages an `outpost edge` process loads (found with a module resolve hook on
 * dist/cli/outpost.js), each with how to load it as the edge does. The skeleton baseline
 * (skeleton-child.ts) loads all of them, or one, and no Outpost code.
 */
export const EDGE_LIBRARIES = ['@peculiar/x509', 'better-sqlite3', 'commander', 'pino', 'prom-client', 'ws', 'yaml', 'zod'] as const;
export type EdgeLibrary = (typeof EDGE_LIBRARIES)[number];

export const LOAD_LIBRARY: Record<EdgeLibrary, () => Promise<unknown>> = {
  // @peculiar/x509 needs the Reflect polyfill loaded first, as certs/x509.ts does.
  '@peculiar/x509': async () => {
    await import('reflect-metadata');
    return import('@peculiar/x509');
  },
  // better-sqlite3 loads its native addon only when a database is opened, and the edge always opens one.
  'better-sqlite3': async () => {
    const { default: Database } = await import('better-sqlite3');
    return new Database(':memory:').prepare('SELECT 1').get();
  },
  commander: () => import('commander'),
  pino: () => import('pino'),
  'prom-client': () => import('prom-client'),
  ws: () => import('ws'),
  yaml: () => import('yaml'),
  zod: () => import('zod'),
};

export function isEdgeLibrary(name: string): name is EdgeLibrary {
  return (EDGE_LIBRARIES as readonly string[]).includes(name);
}

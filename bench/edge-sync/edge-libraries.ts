/**
 * The packages an `outpost edge` process loads (found with a module resolve hook on
 * dist/cli/outpost.js), each with how to load it as the edge does. The skeleton baseline
 * (skeleton-child.ts) loads all of them, or one, and no Outpost code. @peculiar/x509 is not among
 * them: the edge loads it only to make a key or certificate (join, renewal), and edged's gRPC
 * only when edged runs (this benchmark's edge runs without it).
 */
export const EDGE_LIBRARIES = ['better-sqlite3', 'commander', 'pino', 'prom-client', 'ws', 'yaml', 'zod'] as const;
export type EdgeLibrary = (typeof EDGE_LIBRARIES)[number];

export const LOAD_LIBRARY: Record<EdgeLibrary, () => Promise<unknown>> = {
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

import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnNode, type Child } from '../channel/child.js';
import { residentBytes } from '../channel/proc-memory.js';
import { EDGE_LIBRARIES } from './edge-libraries.js';
import { metaGetText } from './metaserver-client.js';
import { parsePromText, sampleValue } from './prom-text.js';

/** The compiled skeleton entry, beside this file in dist/bench/edge-sync/. */
const SKELETON_PATH = fileURLToPath(new URL('./skeleton-child.js', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

/** Where the edge's memory goes, from prom-client's default metrics on MetaServer's /metrics. */
export interface EdgeHeapFigures {
  residentBytes?: number;
  heapUsedBytes?: number;
  heapTotalBytes?: number;
  externalBytes?: number;
  /** Not among prom-client's default metrics; left undefined rather than guessed. */
  arrayBuffersBytes?: number;
  /** V8 heap space → bytes used (nodejs_heap_space_size_used_bytes). */
  heapSpacesUsed: Record<string, number>;
}

export interface MemoryFigures {
  podsCached: number;
  settleMs: number;
  edgeRssBytes: number;
  bareNodeRssBytes?: number;
  skeletonRssBytes?: number;
  /** The same ES-module entry loading no library: the floor each library is measured against. */
  emptySkeletonRssBytes?: number;
  /** Each library alone (a skeleton loading only it): its RSS, to set beside the bare node's. */
  libraryRssBytes: Record<string, number>;
  /** Set when /metrics could not be read or lacks the default metrics. */
  metricsProblem?: string;
  heap?: EdgeHeapFigures;
}

/**
 * The edge's RSS with its cache filled, beside baselines started now, on the same machine, and
 * read after the same settle period: a bare `node` that only idles, the skeleton that loads the
 * edge's libraries and nothing of ours, the same entry loading nothing, and one skeleton per
 * library (what each costs alone over that floor). RSS is read from /proc before /metrics is
 * scraped, so the scrape's own allocations are not counted.
 */
export async function measureMemory(opts: { edgePid: number; metaserverUrl: string; podsCached: number; settleMs: number; signal: AbortSignal; onSpawn?: (pid: number) => void }): Promise<MemoryFigures> {
  const bare = spawnNode(['-e', 'setInterval(() => {}, 1e9)']);
  const skeleton = spawnNode([SKELETON_PATH]);
  const empty = spawnNode([SKELETON_PATH, '--none']);
  const alone = EDGE_LIBRARIES.map((name) => ({ name, child: spawnNode([SKELETON_PATH, name]) }));
  const children = [bare, skeleton, empty, ...alone.map((a) => a.child)];
  for (const child of children) opts.onSpawn?.(child.pid);
  try {
    await Promise.all([skeleton, empty, ...alone.map((a) => a.child)].map((child) => waitForOutput(child, 'ready', READY_TIMEOUT_MS)));
    await sleep(opts.settleMs, undefined, { signal: opts.signal });
    const edgeRss = residentBytes(opts.edgePid);
    if (edgeRss === undefined) throw new Error(`cannot read the RSS of edgecore pid ${opts.edgePid} (not Linux, or it exited)`);
    const bareRss = residentBytes(bare.pid);
    const skeletonRss = residentBytes(skeleton.pid);
    const emptyRss = residentBytes(empty.pid);
    const libraryRssBytes: Record<string, number> = {};
    for (const { name, child } of alone) {
      const rss = residentBytes(child.pid);
      if (rss !== undefined) libraryRssBytes[name] = rss;
    }
    const figures: MemoryFigures = {
      podsCached: opts.podsCached,
      settleMs: opts.settleMs,
      edgeRssBytes: edgeRss,
      libraryRssBytes,
      ...(bareRss === undefined ? {} : { bareNodeRssBytes: bareRss }),
      ...(skeletonRss === undefined ? {} : { skeletonRssBytes: skeletonRss }),
      ...(emptyRss === undefined ? {} : { emptySkeletonRssBytes: emptyRss }),
    };
    const metrics = await metaGetText(opts.metaserverUrl, '/metrics');
    if (!metrics.ok) figures.metricsProblem = metrics.message;
    else {
      const heap = heapFromMetrics(metrics.value);
      if (heap.heapUsedBytes === undefined) figures.metricsProblem = 'MetaServer /metrics has no prom-client default metrics (nodejs_heap_size_used_bytes); only RSS is reported';
      figures.heap = heap;
    }
    return figures;
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

export function heapFromMetrics(text: string): EdgeHeapFigures {
  const samples = parsePromText(text);
  const heap: EdgeHeapFigures = { heapSpacesUsed: {} };
  const set = (key: 'residentBytes' | 'heapUsedBytes' | 'heapTotalBytes' | 'externalBytes', name: string): void => {
    const value = sampleValue(samples, name);
    if (value !== undefined) heap[key] = value;
  };
  set('residentBytes', 'process_resident_memory_bytes');
  set('heapUsedBytes', 'nodejs_heap_size_used_bytes');
  set('heapTotalBytes', 'nodejs_heap_size_total_bytes');
  set('externalBytes', 'nodejs_external_memory_bytes');
  for (const s of samples) {
    const space = s.labels['space'];
    if (s.name === 'nodejs_heap_space_size_used_bytes' && space !== undefined) heap.heapSpacesUsed[space] = s.value;
  }
  return heap;
}

async function waitForOutput(child: Child, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitReason: string | undefined;
  void child.exited.then((why) => (exitReason = why));
  while (!child.output().includes(text)) {
    if (exitReason !== undefined) throw new Error(`baseline process exited (${exitReason}): ${child.output().slice(-600)}`);
    if (Date.now() > deadline) throw new Error(`baseline process not ready within ${timeoutMs} ms: ${child.output().slice(-600)}`);
    await sleep(20);
  }
}

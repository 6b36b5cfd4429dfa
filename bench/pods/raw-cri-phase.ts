import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import type { ContainerConfig, CriClient, PodSandboxConfig } from '../../edgecore/edged/cri/index.js';
import { buildContainerConfig, buildSandboxConfig, LABELS, parsePod } from '../../edgecore/edged/podspec/index.js';
import { summarize } from '../api/stats.js';
import { benchPodObject } from './pod-manifest.js';

/**
 * The runtime's share alone: RunPodSandbox + CreateContainer + StartContainer for the very pod
 * the end-to-end phase creates, with configs built by edged's own podspec builders, straight
 * against the edge's containerd. Everything carries managed-by "outpost-bench", so edged (which
 * only ever touches what carries managed-by "edged") neither reports nor collects them.
 */
export const RAW_MANAGED_BY = 'outpost-bench';
const EMPTY_LOOKUP = { configMap: () => undefined, secret: () => undefined };

export interface RawCriFigures {
  count: number;
  started: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  runPodSandboxP50Ms: number;
  createContainerP50Ms: number;
  startContainerP50Ms: number;
  failures: number;
  firstFailure?: string;
  batchSize: number;
}

interface RawConfigs {
  sandbox: PodSandboxConfig;
  container: ContainerConfig;
}

/** The configs of pod `name` as edged would build them, relabelled as the benchmark's own. */
export function rawConfigs(name: string, namespace: string, nodeName: string, logRoot: string): Result<RawConfigs> {
  const object = benchPodObject(name, nodeName);
  const pod = parsePod({ ...object, metadata: { ...(object['metadata'] as object), namespace, uid: randomUUID() } });
  if (!pod.ok) return pod;
  const sandbox = buildSandboxConfig(pod.value, { logRoot, attempt: 0 });
  if (!sandbox.ok) return fail(sandbox.code, sandbox.message);
  const sandboxConfig = { ...sandbox.value, labels: { ...sandbox.value.labels, [LABELS.managedBy]: RAW_MANAGED_BY } };
  const spec = pod.value.spec.containers[0];
  if (spec === undefined) return fail('Internal', 'the benchmark pod has no container');
  const container = buildContainerConfig({ pod: pod.value, container: spec, sandboxConfig, podIP: '', hostIP: '127.0.0.1', nodeName, restartCount: 0, lookup: EMPTY_LOOKUP });
  if (!container.ok) return fail(container.code, container.message);
  return ok({ sandbox: sandboxConfig, container: { ...container.value, labels: { ...container.value.labels, [LABELS.managedBy]: RAW_MANAGED_BY } } });
}

interface OneStart {
  totalMs: number;
  runMs: number;
  createMs: number;
  startMs: number;
  sandboxId: string;
}

async function startRaw(cri: CriClient, configs: RawConfigs): Promise<Result<OneStart> & { sandboxId?: string }> {
  const t0 = performance.now();
  const sandboxId = await cri.runPodSandbox(configs.sandbox);
  const t1 = performance.now();
  if (!sandboxId.ok) return fail(sandboxId.code, `RunPodSandbox: ${sandboxId.message}`);
  const containerId = await cri.createContainer(sandboxId.value, configs.container, configs.sandbox);
  const t2 = performance.now();
  if (!containerId.ok) return { ...fail(containerId.code, `CreateContainer: ${containerId.message}`), sandboxId: sandboxId.value };
  const started = await cri.startContainer(containerId.value);
  const t3 = performance.now();
  if (!started.ok) return { ...fail(started.code, `StartContainer: ${started.message}`), sandboxId: sandboxId.value };
  return ok({ totalMs: t3 - t0, runMs: t1 - t0, createMs: t2 - t1, startMs: t3 - t2, sandboxId: sandboxId.value });
}

/** Stops and removes sandboxes (RemovePodSandbox removes their containers too). */
export async function removeRawSandboxes(cri: CriClient, ids: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const id of ids) {
    const stopped = await cri.stopPodSandbox(id);
    if (!stopped.ok && stopped.code !== 'NotFound') problems.push(`StopPodSandbox ${id}: ${stopped.message}`);
    const removed = await cri.removePodSandbox(id);
    if (!removed.ok && removed.code !== 'NotFound') problems.push(`RemovePodSandbox ${id}: ${removed.message}`);
  }
  return problems;
}

/** What the raw CRI batches measured so far. */
export interface RawSamples {
  totals: number[];
  runs: number[];
  creates: number[];
  starts: number[];
  failures: string[];
}

export function emptyRawSamples(): RawSamples {
  return { totals: [], runs: [], creates: [], starts: [], failures: [] };
}

export interface RawBatchOptions {
  cri: CriClient;
  namespace: string;
  nodeName: string;
  logRoot: string;
  signal: AbortSignal;
}

/** Raw starts `first`..`first + size - 1`, one at a time; then they are stopped and removed. */
export async function runRawBatch(opts: RawBatchOptions, first: number, size: number, into: RawSamples): Promise<void> {
  const sandboxes: string[] = [];
  try {
    for (let i = first; i < first + size && !opts.signal.aborted; i++) {
      const configs = rawConfigs(`raw-${String(i).padStart(4, '0')}`, opts.namespace, opts.nodeName, opts.logRoot);
      if (!configs.ok) {
        into.failures.push(configs.message);
        continue;
      }
      // edged makes these folders before its calls too; they are not part of the runtime's time.
      const podLogs = configs.value.sandbox.logDirectory ?? '';
      mkdirSync(dirname(join(podLogs, configs.value.container.logPath ?? 'app/0.log')), { recursive: true });
      const one = await startRaw(opts.cri, configs.value);
      if (one.ok) {
        sandboxes.push(one.value.sandboxId);
        into.totals.push(one.value.totalMs);
        into.runs.push(one.value.runMs);
        into.creates.push(one.value.createMs);
        into.starts.push(one.value.startMs);
      } else {
        if (one.sandboxId !== undefined) sandboxes.push(one.sandboxId);
        into.failures.push(one.message);
      }
    }
  } catch (err) {
    into.failures.push(errorMessage(err));
  } finally {
    into.failures.push(...(await removeRawSandboxes(opts.cri, sandboxes)));
  }
}

export function summarizeRaw(samples: RawSamples, count: number, batchSize: number): RawCriFigures {
  const s = summarize(samples.totals);
  return {
    count,
    started: samples.totals.length,
    p50Ms: s.p50,
    p99Ms: s.p99,
    maxMs: s.max,
    meanMs: s.mean,
    runPodSandboxP50Ms: summarize(samples.runs).p50,
    createContainerP50Ms: summarize(samples.creates).p50,
    startContainerP50Ms: summarize(samples.starts).p50,
    failures: samples.failures.length,
    ...(samples.failures[0] === undefined ? {} : { firstFailure: samples.failures[0] }),
    batchSize,
  };
}

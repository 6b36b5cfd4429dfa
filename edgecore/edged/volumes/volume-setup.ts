/**
 * Sets up one pod volume (kubelet's volume plugins' SetUp), idempotently: a second call on a
 * volume already set up (the next sync, or a new edged adopting a running pod) keeps its folder,
 * its tmpfs and an emptyDir's content, and rewrites a configMap's or secret's files only when
 * they changed (atomic-writer.ts).
 */
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import { parseQuantity, quantityValue, type MachineInfo, type ObjectLookup, type Pod } from '../podspec/index.js';
import { writeAtomically, type Payload } from './atomic-writer.js';
import { downwardApiPayload } from './downward-payload.js';
import { checkHostPathType } from './host-path.js';
import { configMapPayload, DEFAULT_MODE, secretPayload } from './object-payloads.js';
import { projectedPayload, tokenPaths } from './projected-payload.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';
import { ensureTmpfs } from './tmpfs.js';
import { volumeDir } from './volume-layout.js';
import { pluginOf, sourceName, volumeSchema, type Volume } from './volume-schema.js';

/** Where a volume is on the host, and whether the plugin mounts it read-only whatever the container asks. */
export interface ResolvedVolume {
  hostPath: string;
  readOnly: boolean;
}

export interface SetupContext {
  root: string;
  pod: Pod;
  lookup: ObjectLookup;
  machine: MachineInfo;
  tokens: ServiceAccountTokens | undefined;
}

function makeDir(path: string, mode: number): Result<void> {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    chmodSync(path, mode);
    return ok(undefined);
  } catch (err) {
    return fail('Internal', `creating ${path}: ${errorMessage(err)}`);
  }
}

/** The volume's folder, on tmpfs when asked; configMap-like folders are 0755, emptyDir 0777 (kubelet's). */
async function prepareDir(dir: string, mode: number, memory: boolean, sizeBytes?: bigint): Promise<Result<void>> {
  const made = makeDir(dir, mode);
  if (!made.ok) return made;
  if (!memory) return ok(undefined);
  const mounted = await ensureTmpfs(dir, sizeBytes);
  if (!mounted.ok) return mounted;
  // A fresh tmpfs root is 1777: give it the folder's mode.
  return makeDir(dir, mode);
}

async function writePayload(dir: string, memory: boolean, payload: Result<Payload>): Promise<Result<ResolvedVolume>> {
  if (!payload.ok) return payload;
  const prepared = await prepareDir(dir, 0o755, memory);
  if (!prepared.ok) return prepared;
  const written = writeAtomically(dir, payload.value);
  return written.ok ? ok({ hostPath: dir, readOnly: true }) : written;
}

function sizeLimitBytes(sizeLimit: string | undefined): Result<bigint | undefined> {
  if (sizeLimit === undefined) return ok(undefined);
  const parsed = parseQuantity(sizeLimit);
  if (!parsed.ok) return fail('Invalid', `emptyDir sizeLimit ${parsed.message}`);
  const bytes = quantityValue(parsed.value);
  return ok(bytes > 0n ? bytes : undefined);
}

async function setupEmptyDir(dir: string, volume: Volume): Promise<Result<ResolvedVolume>> {
  const medium = volume.emptyDir?.medium ?? '';
  if (medium !== '' && medium !== 'Memory') return fail('Invalid', `emptyDir medium ${medium} is not supported on this edge`);
  const size = sizeLimitBytes(volume.emptyDir?.sizeLimit);
  if (!size.ok) return size;
  const prepared = await prepareDir(dir, 0o777, medium === 'Memory', size.value);
  return prepared.ok ? ok({ hostPath: dir, readOnly: false }) : prepared;
}

/** The token a projected volume already holds (a pod adopted after an edgecore restart). */
function tokenInVolume(dir: string, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    try {
      return readFileSync(join(dir, path), 'utf8').trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return undefined;
}

async function setupProjected(ctx: SetupContext, dir: string, volume: Volume): Promise<Result<ResolvedVolume>> {
  const sources = volume.projected?.sources ?? [];
  const paths = tokenPaths(sources);
  if (paths.length > 0 && ctx.tokens === undefined) return fail('Invalid', 'serviceAccountToken projections are not available: edged runs without MetaServer tokens');
  const tokens = ctx.tokens;
  let existing: string | undefined;
  try {
    existing = paths.length > 0 ? tokenInVolume(dir, paths) : undefined;
  } catch (err) {
    return fail('Internal', `reading the token in ${dir}: ${errorMessage(err)}`);
  }
  const { pod } = ctx;
  const owner = { podUid: pod.metadata.uid, namespace: pod.metadata.namespace, serviceAccountName: pod.spec.serviceAccountName ?? 'default' };
  // The cloud's JWT once it arrived (protocol.md R40); before that, or from a 1.4 cloud, the edge-local token.
  const token = (path: string): string => ctx.lookup.serviceAccountToken?.(pod.metadata.uid, volume.name, path) ?? tokens?.issue(owner, existing) ?? '';
  const payload = projectedPayload({ sources, defaultMode: volume.projected?.defaultMode, pod, lookup: ctx.lookup, machine: ctx.machine, token });
  return writePayload(dir, true, payload);
}

/** Sets up one entry of spec.volumes; the failure's message is kubelet's reason for it. */
export async function setupVolume(ctx: SetupContext, raw: Record<string, unknown>): Promise<Result<ResolvedVolume>> {
  const parsed = volumeSchema.safeParse(raw);
  if (!parsed.success) return fail('Invalid', `volume ${JSON.stringify(raw.name)} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const volume = parsed.data;
  const plugin = pluginOf(volume);
  if (plugin === undefined) return fail('Invalid', `volume source ${sourceName(raw)} is not supported on this edge`);
  if (plugin === 'host-path') {
    const path = volume.hostPath?.path ?? '';
    const checked = checkHostPathType(path, volume.hostPath?.type);
    return checked.ok ? ok({ hostPath: path, readOnly: false }) : checked;
  }
  const dir = volumeDir(ctx.root, ctx.pod.metadata.uid, plugin, volume.name);
  if (!dir.ok) return dir;
  const namespace = ctx.pod.metadata.namespace;
  switch (plugin) {
    case 'configmap': {
      const source = volume.configMap ?? { name: '' };
      return writePayload(dir.value, false, configMapPayload(ctx.lookup, namespace, source, volume.configMap?.defaultMode));
    }
    case 'secret': {
      const secret = volume.secret ?? { secretName: '' };
      // Secrets go on tmpfs before a byte is written: never on disk in the clear.
      return writePayload(dir.value, true, secretPayload(ctx.lookup, namespace, { ...secret, name: secret.secretName }, secret.defaultMode));
    }
    case 'downward-api':
      return writePayload(dir.value, false, downwardApiPayload(volume.downwardAPI?.items ?? [], ctx.pod, volume.downwardAPI?.defaultMode ?? DEFAULT_MODE, ctx.machine));
    case 'projected':
      return setupProjected(ctx, dir.value, volume);
    case 'empty-dir':
      return setupEmptyDir(dir.value, volume);
  }
}

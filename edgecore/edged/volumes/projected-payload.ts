/**
 * A projected volume's files (kubelet's pkg/volume/projected collectData): the configMap, secret,
 * downwardAPI and serviceAccountToken sources merged into one folder, with the volume's
 * defaultMode where an item sets none. Each source's failure fails the volume, unless it is an
 * optional configMap or secret. The service-account token is the cloud's pod-bound JWT when one
 * arrived (docs/protocol.md R40), else the one edged issued the pod (see
 * service-account-tokens.ts); clusterTrustBundle and podCertificate sources are not supported.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import type { MachineInfo, ObjectLookup, Pod } from '../podspec/index.js';
import type { Payload } from './atomic-writer.js';
import { downwardApiPayload } from './downward-payload.js';
import { configMapPayload, DEFAULT_MODE, secretPayload } from './object-payloads.js';
import type { Projection } from './volume-schema.js';

export interface ProjectionInput {
  sources: readonly Projection[];
  defaultMode: number | undefined;
  pod: Pod;
  lookup: ObjectLookup;
  machine: MachineInfo;
  /** The pod's service-account token for a source at this path (asked for only when a source needs it). */
  token: (path: string) => string;
}

function merge(into: Payload, from: Payload): void {
  for (const [path, file] of from) into.set(path, file);
}

const KNOWN_SOURCES = new Set(['configMap', 'secret', 'downwardAPI', 'serviceAccountToken']);

export function projectedPayload(input: ProjectionInput): Result<Payload> {
  const mode = input.defaultMode ?? DEFAULT_MODE;
  const namespace = input.pod.metadata.namespace;
  const payload: Payload = new Map();
  for (const source of input.sources) {
    const unknown = Object.keys(source).find((key) => !KNOWN_SOURCES.has(key));
    if (unknown !== undefined) return fail('Invalid', `projected volume source ${unknown} is not supported on this edge`);
    let part: Result<Payload> | undefined;
    if (source.configMap !== undefined) part = configMapPayload(input.lookup, namespace, source.configMap, mode);
    else if (source.secret !== undefined) part = secretPayload(input.lookup, namespace, source.secret, mode);
    else if (source.downwardAPI !== undefined) part = downwardApiPayload(source.downwardAPI.items ?? [], input.pod, mode, input.machine);
    else if (source.serviceAccountToken !== undefined) part = ok(new Map([[source.serviceAccountToken.path, { data: Buffer.from(input.token(source.serviceAccountToken.path), 'utf8'), mode }]]));
    if (part === undefined) continue;
    if (!part.ok) return part;
    merge(payload, part.value);
  }
  return ok(payload);
}

/** The paths at which a projected volume holds the service-account token. */
export function tokenPaths(sources: readonly Projection[]): string[] {
  return sources.flatMap((source) => (source.serviceAccountToken === undefined ? [] : [source.serviceAccountToken.path]));
}

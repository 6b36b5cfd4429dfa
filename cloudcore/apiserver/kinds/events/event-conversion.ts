import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, str, type Obj } from '../../../../shared/k8s/object-access.js';

/**
 * core/v1 Event ⇄ events.k8s.io/v1 Event: one stored object, two shapes (docs/kinds.md § One
 * storage, several versions), as Kubernetes' conversion functions map them:
 *   involvedObject ↔ regarding, message ↔ note, reportingComponent ↔ reportingController,
 *   source ↔ deprecatedSource, count/firstTimestamp/lastTimestamp ↔ deprecatedCount/...;
 *   eventTime, series, related, action, reason, type, reportingInstance are the same fields.
 * An event written by an old client (source only) reads through events.k8s.io/v1 with its
 * reportingController/reportingInstance taken from source.component/source.host.
 */
type Rename = readonly [core: string, events: string];

const RENAMED: readonly Rename[] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['count', 'deprecatedCount'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['reportingComponent', 'reportingController'],
];

/** Copies every field, renaming those in `pairs` from → to. */
function renamed(obj: KubeObject, pairs: readonly (readonly [string, string])[], apiVersion: string): KubeObject {
  const names = new Map(pairs);
  const out: Obj = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    out[names.get(key) ?? key] = value;
  }
  out.apiVersion = apiVersion;
  return out as KubeObject;
}

/** core/v1 (the stored form) → events.k8s.io/v1. */
export function coreEventToEventsV1(event: KubeObject): KubeObject {
  const out = renamed(event, RENAMED, 'events.k8s.io/v1');
  const source = asObj(event.source) ?? {};
  if (str(out.reportingController) === '' && str(source.component) !== '') out.reportingController = source.component;
  if (str(out.reportingInstance) === '' && str(source.host) !== '') out.reportingInstance = source.host;
  // An empty EventSource is what Go writes for a core event without one; events/v1 omits it.
  const deprecated = asObj(out.deprecatedSource);
  if (deprecated !== undefined && Object.keys(deprecated).length === 0) delete out.deprecatedSource;
  if (out.deprecatedCount === 0) delete out.deprecatedCount;
  return out;
}

/** events.k8s.io/v1 → core/v1 (the stored form). */
export function eventsV1ToCoreEvent(event: KubeObject): KubeObject {
  const out = renamed(event, RENAMED.map(([core, events]) => [events, core] as const), 'v1');
  // Go writes core/v1 involvedObject and source as value structs: always present.
  if (out.involvedObject === undefined) out.involvedObject = {};
  if (out.source === undefined) out.source = {};
  return out;
}

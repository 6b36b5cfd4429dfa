import { isRecord } from '../../../shared/k8s/types.js';
import { cloneJson } from './json.js';

/** Which part of an object a write may change, and so which fields it can come to own. */
export interface WriteScope {
  /** 'status' (only the status), 'scale' (the replicas), or undefined for the object itself. */
  subresource: string | undefined;
  /** The kind has a status subresource, so writes to the object itself leave its status alone. */
  statusSubresource: boolean;
}

/**
 * Fields that no manager ever owns: type identity and server-set metadata, as Kubernetes'
 * field manager strips them.
 */
const UNOWNED_METADATA = ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'];

/** The part of an object whose fields are tracked for a write in `scope` (a copy). */
export function trackedView(obj: unknown, scope: WriteScope): Record<string, unknown> {
  if (!isRecord(obj)) return {};
  if (scope.subresource === 'status') return obj.status === undefined ? {} : { status: cloneJson(obj.status) };
  const view = cloneJson(obj);
  delete view.apiVersion;
  delete view.kind;
  if (scope.statusSubresource) delete view.status;
  if (isRecord(view.metadata)) {
    for (const key of UNOWNED_METADATA) delete view.metadata[key];
    if (Object.keys(view.metadata).length === 0) delete view.metadata;
  } else {
    delete view.metadata;
  }
  return view;
}

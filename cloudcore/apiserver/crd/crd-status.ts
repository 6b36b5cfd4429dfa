import type { KubeObject } from '../../../shared/k8s/types.js';
import { timestamp } from '../handlers/decode-object.js';
import { asObj, objArray, str } from '../../../shared/k8s/object-access.js';
import type { CrdInfo, CrdNames } from './crd-types.js';
import { cloneJson, equalJson } from '../../../shared/json/index.js';

/** One CustomResourceDefinitionCondition. */
export interface CrdCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/** What the naming and establishing controllers decided about a CRD. */
export type ServingDecision =
  | { state: 'served'; names: CrdNames }
  | { state: 'conflict'; reason: 'PluralConflict' | 'KindConflict'; message: string }
  | { state: 'terminating' };

function acceptedNames(names: CrdNames): Record<string, unknown> {
  return {
    plural: names.plural,
    singular: names.singular,
    kind: names.kind,
    listKind: names.listKind,
    ...(names.shortNames.length > 0 ? { shortNames: names.shortNames } : {}),
    ...(names.categories.length > 0 ? { categories: names.categories } : {}),
  };
}

function conditionsFor(decision: ServingDecision): CrdCondition[] {
  switch (decision.state) {
    case 'served':
      return [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      ];
    case 'conflict':
      return [
        { type: 'NamesAccepted', status: 'False', reason: decision.reason, message: decision.message },
        { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
      ];
    case 'terminating':
      return [{ type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }];
  }
}

/**
 * The CRD's status after a decision: conditions (a condition whose status did not change keeps its
 * lastTransitionTime, so reconciling an unchanged CRD writes nothing), acceptedNames, and the
 * storage version added to storedVersions.
 */
export function desiredCrdStatus(crd: KubeObject, info: CrdInfo, decision: ServingDecision, now: Date): Record<string, unknown> {
  const status = cloneJson(asObj(crd.status) ?? {});
  const existing = objArray(status.conditions);
  const merged = [...existing];
  for (const condition of conditionsFor(decision)) {
    const index = merged.findIndex((c) => c.type === condition.type);
    const previous = index < 0 ? undefined : merged[index];
    const keepTime = previous !== undefined && previous.status === condition.status && typeof previous.lastTransitionTime === 'string';
    const next = { ...condition, lastTransitionTime: keepTime ? str(previous.lastTransitionTime) : timestamp(now) };
    if (index < 0) merged.push(next);
    else merged[index] = next;
  }
  status.conditions = merged;
  if (decision.state === 'served') status.acceptedNames = acceptedNames(decision.names);
  const stored = Array.isArray(status.storedVersions) ? status.storedVersions.filter((v): v is string => typeof v === 'string') : [];
  const storage = info.versions.find((v) => v.storage)?.name;
  if (storage !== undefined && !stored.includes(storage)) stored.push(storage);
  status.storedVersions = stored;
  return status;
}

export function statusDiffers(crd: KubeObject, status: Record<string, unknown>): boolean {
  return !equalJson(crd.status ?? {}, status);
}

/** True when the CRD's Established condition is True. */
export function isEstablished(crd: KubeObject): boolean {
  return objArray(asObj(crd.status)?.conditions).some((c) => c.type === 'Established' && c.status === 'True');
}

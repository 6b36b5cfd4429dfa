import { asObj, str } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo } from '../types.js';

/** core/v1 limitranges: kubectl prints when each was created, not its age. */
export function limitRangesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'limitranges',
    kind: 'LimitRange',
    namespaced: true,
    shortNames: ['limits'],
    table: {
      columns: [nameColumn(), column('Created At', 'The time the limit range was created.', { type: 'date' })],
      cells: (lr) => [lr.metadata.name ?? '', str(lr.metadata.creationTimestamp)],
    },
  });
}

/**
 * printResourceQuota: "used/hard" per resource of status.hard, sorted by name; `limits.*` in the
 * LIMIT column, everything else in REQUEST.
 */
function usageColumns(status: Record<string, unknown>): [string, string] {
  const hard = asObj(status.hard) ?? {};
  const used = asObj(status.used) ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const text = `${name}: ${str(used[name]) || '0'}/${str(hard[name])}`;
    (name.split('.')[0] === 'limits' && name.includes('.') ? limits : requests).push(text);
  }
  return [requests.join(', '), limits.join(', ')];
}

/** core/v1 resourcequotas. */
export function resourceQuotasInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'resourcequotas',
    kind: 'ResourceQuota',
    namespaced: true,
    shortNames: ['quota'],
    status: true,
    table: {
      columns: [nameColumn(), ageColumn(), column('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'), column('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.')],
      cells(quota, now) {
        const [request, limit] = usageColumns(asObj(quota.status) ?? {});
        return [quota.metadata.name ?? '', ageSince(quota.metadata.creationTimestamp, now), request, limit];
      },
    },
  });
}

import type { KubeObject } from '../../../k8s/types.js';
import { asObj, num } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';

/** An IntOrString as Go's String() prints it, or N/A when unset (kubectl's printer). */
function intOrStringCell(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  return 'N/A';
}

function disruptionsAllowed(pdb: KubeObject): number {
  return num(asObj(pdb.status)?.disruptionsAllowed) ?? 0;
}

/** policy/v1 poddisruptionbudgets: names, table and selectable fields. */
export function podDisruptionBudgetsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'policy',
    version: 'v1',
    resource: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
    status: true,
    table: {
      columns: [
        nameColumn(),
        column('Min Available', 'The minimum number of pods that must be available simultaneously.  This can be either an integer or a string specifying a percentage, e.g. "28%".'),
        column('Max Unavailable', 'The maximum number of pods that may be unavailable.  This can be either an integer or a string specifying a percentage, e.g. "33%".'),
        column('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }),
        ageColumn(),
      ],
      cells: (pdb, now): TableCell[] => {
        const spec = asObj(pdb.spec) ?? {};
        return [pdb.metadata.name ?? '', intOrStringCell(spec.minAvailable), intOrStringCell(spec.maxUnavailable), disruptionsAllowed(pdb), ageSince(pdb.metadata.creationTimestamp, now)];
      },
    },
  });
}

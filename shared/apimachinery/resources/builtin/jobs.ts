import type { KubeObject } from '../../../k8s/types.js';
import { asObj, num, objArray, str, type Obj } from '../../../k8s/object-access.js';
import { ageSince, humanDuration } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';
import { templateCells, templateColumns } from './workload-table.js';

function hasTrueCondition(status: Obj, type: string): boolean {
  return objArray(status.conditions).some((c) => c.type === type && c.status === 'True');
}

/** The STATUS column of 1.32's printJob. */
export function jobStatusText(job: KubeObject): string {
  const status = asObj(job.status) ?? {};
  if (hasTrueCondition(status, 'Complete')) return 'Complete';
  if (hasTrueCondition(status, 'Failed')) return 'Failed';
  if (typeof job.metadata.deletionTimestamp === 'string' && job.metadata.deletionTimestamp !== '') return 'Terminating';
  if (hasTrueCondition(status, 'Suspended')) return 'Suspended';
  if (hasTrueCondition(status, 'FailureTarget')) return 'FailureTarget';
  if (hasTrueCondition(status, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completionsText(job: KubeObject): string {
  const spec = asObj(job.spec) ?? {};
  const succeeded = num(asObj(job.status)?.succeeded) ?? 0;
  const completions = num(spec.completions);
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = num(spec.parallelism) ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationText(job: KubeObject, now: Date): string {
  const status = asObj(job.status) ?? {};
  const start = Date.parse(str(status.startTime));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(status.completionTime));
  return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
}

/** batch/v1 jobs: names, table and selectable fields. */
export function jobsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'batch',
    version: 'v1',
    resource: 'jobs',
    kind: 'Job',
    namespaced: true,
    categories: ['all'],
    status: true,
    table: {
      columns: [
        nameColumn(),
        column('Status', 'Status of the job.'),
        column('Completions', 'The completion status of the job.'),
        column('Duration', 'Time required to complete the job.'),
        ageColumn(),
        ...templateColumns(),
      ],
      cells: (job, now): TableCell[] => [
        job.metadata.name ?? '',
        jobStatusText(job),
        completionsText(job),
        durationText(job, now),
        ageSince(job.metadata.creationTimestamp, now),
        ...templateCells(job),
      ],
    },
    selectableFields: (job) => ({ 'status.successful': String(num(asObj(job.status)?.succeeded) ?? 0) }),
  });
}

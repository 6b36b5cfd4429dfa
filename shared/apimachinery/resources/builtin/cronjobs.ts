import type { KubeObject } from '../../../k8s/types.js';
import { asObj, objArray, str } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { formatLabelSelector, readLabelSelector } from '../label-selector-text.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';
import { templateColumns } from './workload-table.js';

/** The cells of 1.32's printCronJob: `<none>` for an unset time zone, selector or last schedule. */
function cronJobCells(cj: KubeObject, now: Date): TableCell[] {
  const spec = asObj(cj.spec) ?? {};
  const status = asObj(cj.status) ?? {};
  const jobSpec = asObj(asObj(spec.jobTemplate)?.spec) ?? {};
  const containers = objArray(asObj(asObj(jobSpec.template)?.spec)?.containers);
  const selector = formatLabelSelector(readLabelSelector(jobSpec.selector));
  return [
    cj.metadata.name ?? '',
    str(spec.schedule),
    typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
    typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>',
    objArray(status.active).length,
    typeof status.lastScheduleTime === 'string' ? ageSince(status.lastScheduleTime, now) : '<none>',
    ageSince(cj.metadata.creationTimestamp, now),
    containers.map((c) => str(c.name)).join(','),
    containers.map((c) => str(c.image)).join(','),
    selector === '' ? '<none>' : selector,
  ];
}

/** batch/v1 cronjobs: names, table (NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE) and selectable fields. */
export function cronJobsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'batch',
    version: 'v1',
    resource: 'cronjobs',
    kind: 'CronJob',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    status: true,
    table: {
      columns: [
        nameColumn(),
        column('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
        column('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
        column('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.', { type: 'boolean' }),
        column('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
        column('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
        ageColumn(),
        ...templateColumns(),
      ],
      cells: cronJobCells,
    },
  });
}

import { invalid, notSupported, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { ageSince } from '../common/human-duration.js';
import { validateNonNegative } from '../common/meta-validation.js';
import { asObj, childObj, str, stringMap } from '../common/object-access.js';
import { ageColumn, column, formatLabels, nameColumn } from '../common/table-columns.js';
import { defaultTemplate } from '../pod/pod-spec-defaults.js';
import type { ResourceDefinition, TableCell } from '../types.js';
import { validateSelectorAndTemplate, validateSelectorImmutable, validateStatusCounters, validateWorkloadMeta, workloadSpec } from './workload-validation.js';
import { statusCount, templateCells, templateColumns } from './workload-table.js';

/** SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0; history 10. */
export function defaultDaemonSet(ds: KubeObject): void {
  const spec = childObj(ds, 'spec');
  const strategy = childObj(spec, 'updateStrategy');
  if (str(strategy.type) === '') strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = childObj(strategy, 'rollingUpdate');
    if (rolling.maxUnavailable === undefined || rolling.maxUnavailable === null) rolling.maxUnavailable = 1;
    if (rolling.maxSurge === undefined || rolling.maxSurge === null) rolling.maxSurge = 0;
  }
  if (typeof spec.revisionHistoryLimit !== 'number') spec.revisionHistoryLimit = 10;
  defaultTemplate(ds);
}

function validateDaemonSet(ds: KubeObject): FieldError[] {
  const spec = workloadSpec(ds);
  const errs = [...validateWorkloadMeta(ds), ...validateSelectorAndTemplate(ds, 'daemonset')];
  const strategy = asObj(spec.updateStrategy) ?? {};
  const type = str(strategy.type);
  if (type !== 'OnDelete' && type !== 'RollingUpdate') errs.push(notSupported('spec.updateStrategy.type', type, ['OnDelete', 'RollingUpdate']));
  const rolling = asObj(strategy.rollingUpdate) ?? {};
  const isZero = (v: unknown): boolean => v === 0 || v === '0%' || v === '0';
  if (type === 'RollingUpdate' && isZero(rolling.maxUnavailable) && isZero(rolling.maxSurge)) {
    errs.push(invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

const DS_STATUS_COUNTERS = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'observedGeneration'];

/** apps/v1 daemonsets. */
export function daemonSetsResource(): ResourceDefinition {
  return defineResource({
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    status: true,
    tracksGeneration: true,
    applyDefaults: defaultDaemonSet,
    prepareForCreate(ds) {
      ds.status = {};
    },
    validateCreate: validateDaemonSet,
    validateUpdate: (ds, old) => [...validateDaemonSet(ds), ...validateSelectorImmutable(ds, old)],
    validateStatusUpdate: (ds) => validateStatusCounters(ds, DS_STATUS_COUNTERS),
    table: {
      columns: [
        nameColumn(),
        column('Desired', 'The total number of nodes that should be running the daemon pod.', { type: 'integer' }),
        column('Current', 'The number of nodes running at least one daemon pod and are supposed to.', { type: 'integer' }),
        column('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', { type: 'integer' }),
        column('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
        column('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', { type: 'integer' }),
        column('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
        ageColumn(),
        ...templateColumns(),
      ],
      cells: (ds, now): TableCell[] => [
        ds.metadata.name ?? '',
        statusCount(ds, 'desiredNumberScheduled'),
        statusCount(ds, 'currentNumberScheduled'),
        statusCount(ds, 'numberReady'),
        statusCount(ds, 'updatedNumberScheduled'),
        statusCount(ds, 'numberAvailable'),
        formatLabels(stringMap(asObj(asObj(workloadSpec(ds).template)?.spec)?.nodeSelector)),
        ageSince(ds.metadata.creationTimestamp, now),
        ...templateCells(ds),
      ],
    },
  });
}

import type { KubeObject } from '../../../k8s/types.js';
import { asObj, num, objArray, str, type Obj } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';

const UNKNOWN = '<unknown>';

function percent(value: unknown): string | undefined {
  const n = num(value);
  return n === undefined ? undefined : `${n}%`;
}

/** One metric as kubectl's formatHPAMetrics prints it: `cpu: 40%/80%`, `<unknown>/500m`. */
function metricText(spec: Obj, status: Obj | undefined): string {
  const type = str(spec.type);
  const source = asObj(spec[lowerFirst(type)]) ?? {};
  const target = asObj(source.target) ?? {};
  const current = asObj(asObj(status?.[lowerFirst(type)])?.current) ?? {};
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const name = str(source.name);
      const prefix = type === 'ContainerResource' ? `${name} on ${str(source.container)}` : name;
      if (target.averageValue !== undefined) return `${prefix}: ${str(current.averageValue) || UNKNOWN}/${str(target.averageValue)}`;
      return `${prefix}: ${percent(current.averageUtilization) ?? UNKNOWN}/${percent(target.averageUtilization) ?? '<auto>'}`;
    }
    case 'Pods':
      return `${str(current.averageValue) || UNKNOWN}/${str(target.averageValue)}`;
    case 'Object':
    case 'External':
      if (target.averageValue !== undefined) return `${str(current.averageValue) || UNKNOWN}/${str(target.averageValue)} (avg)`;
      return `${str(current.value) || UNKNOWN}/${str(target.value)}`;
    default:
      return '<unknown type>';
  }
}

function lowerFirst(text: string): string {
  return text.slice(0, 1).toLowerCase() + text.slice(1);
}

/** formatHPAMetrics: at most two metrics, then "+ N more...". */
function targetsText(hpa: KubeObject): string {
  const specs = objArray(asObj(hpa.spec)?.metrics);
  if (specs.length === 0) return '<none>';
  const statuses = objArray(asObj(hpa.status)?.currentMetrics);
  const shown = specs.slice(0, 2).map((s, i) => metricText(s, statuses[i]));
  const more = specs.length > 2 ? ` + ${specs.length - 2} more...` : '';
  return `${shown.join(', ')}${more}`;
}

/** autoscaling/v2 horizontalpodautoscalers (autoscaling/v1 converts to this form for its table). */
export function horizontalPodAutoscalersInfo(version = 'v2'): ResourceInfo {
  return defineResourceInfo({
    group: 'autoscaling',
    version,
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    status: true,
    table: {
      columns: [
        nameColumn(),
        column('Reference', 'Reference to the target resource'),
        column('Targets', 'Current and target metric values'),
        column('MinPods', 'Minimum number of pods', { type: 'string' }),
        column('MaxPods', 'Maximum number of pods', { type: 'integer' }),
        column('Replicas', 'Current number of replicas', { type: 'integer' }),
        ageColumn(),
      ],
      cells(hpa, now): TableCell[] {
        const spec = asObj(hpa.spec) ?? {};
        const ref = asObj(spec.scaleTargetRef) ?? {};
        const min = num(spec.minReplicas);
        return [
          hpa.metadata.name ?? '',
          `${str(ref.kind)}/${str(ref.name)}`,
          targetsText(hpa),
          min === undefined ? '<unset>' : String(min),
          num(spec.maxReplicas) ?? 0,
          num(asObj(hpa.status)?.currentReplicas) ?? 0,
          ageSince(hpa.metadata.creationTimestamp, now),
        ];
      },
    },
  });
}

import type { KubeObject } from '../../../k8s/types.js';
import { asObj, num, str } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { column } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';

function source(event: KubeObject): string {
  return str(asObj(event.source)?.component) || str(event.reportingComponent);
}

/** formatEventSource: component, host when known. */
function sourceText(event: KubeObject): string {
  const src = asObj(event.source) ?? {};
  const component = str(src.component) || str(event.reportingComponent);
  const host = str(src.host) || str(event.reportingInstance);
  return host === '' ? component : `${component}, ${host}`;
}

/** core/v1 events: names, table and selectable fields. */
export function eventsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    table: {
      columns: [
        column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
        column('Type', 'Type of this event (Normal, Warning).'),
        column('Reason', 'Why the action was taken.'),
        column('Object', 'The object this Event is about.'),
        column('Subobject', 'The part of the object this Event is about.', { priority: 1 }),
        column('Source', 'The component reporting this event.', { priority: 1 }),
        column('Message', 'A human-readable description of the status of this operation.'),
        column('First Seen', 'The time at which the event was first recorded.', { priority: 1 }),
        column('Count', 'The number of times this event has occurred.', { priority: 1 }),
        column('Name', 'The name of the event.', { priority: 1 }),
      ],
      cells(event, now): TableCell[] {
        const involved = asObj(event.involvedObject) ?? {};
        const series = asObj(event.series);
        const first = str(event.firstTimestamp) !== '' ? ageSince(event.firstTimestamp, now) : ageSince(event.eventTime, now);
        let last = str(event.lastTimestamp) !== '' ? ageSince(event.lastTimestamp, now) : first;
        let count = num(event.count) ?? 0;
        if (series !== undefined) {
          last = ageSince(series.lastObservedTime, now);
          count = num(series.count) ?? 0;
        } else if (count === 0) {
          count = 1;
        }
        const kind = str(involved.kind).toLowerCase();
        const name = str(involved.name);
        return [
          last,
          str(event.type),
          str(event.reason),
          name === '' ? kind : `${kind}/${name}`,
          str(involved.fieldPath),
          sourceText(event),
          str(event.message).trim(),
          first,
          count,
          event.metadata.name ?? '',
        ];
      },
    },
    selectableFields(event) {
      const involved = asObj(event.involvedObject) ?? {};
      return {
        'involvedObject.kind': str(involved.kind),
        'involvedObject.namespace': str(involved.namespace),
        'involvedObject.name': str(involved.name),
        'involvedObject.uid': str(involved.uid),
        'involvedObject.apiVersion': str(involved.apiVersion),
        'involvedObject.resourceVersion': str(involved.resourceVersion),
        'involvedObject.fieldPath': str(involved.fieldPath),
        reason: str(event.reason),
        reportingComponent: str(event.reportingComponent),
        source: source(event),
        type: str(event.type),
      };
    },
  });
}

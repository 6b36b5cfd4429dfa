import { eventsInfo } from '../../../../shared/apimachinery/resources/builtin/events.js';
import { defineResourceInfo } from '../../../../shared/apimachinery/resources/index.js';
import { invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, num, str } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateImmutable, validateObjectMeta } from '../common/meta-validation.js';
import { isQualifiedName, nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from './event-conversion.js';

/** Length limits of Kubernetes' event validation. */
const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

function tooLong(path: string, value: string, limit: number): FieldError[] {
  return value.length > limit ? [invalid(path, '', `can have at most ${limit} characters`)] : [];
}

/**
 * ValidateEventCreate for events.k8s.io/v1: the legacy checks of an event with eventTime, then the
 * strict ones (series, type, and none of the deprecated fields set).
 */
function validateEventsV1(event: KubeObject): FieldError[] {
  const errs = validateObjectMeta(event, { namespaced: true, nameRule: nameIsDNSSubdomain });
  const ns = str(event.metadata.namespace);
  const regardingNs = str(asObj(event.regarding)?.namespace);
  if (regardingNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(invalid('involvedObject.namespace', regardingNs, 'does not match event.namespace'));
  const controller = str(event.reportingController);
  if (controller === '') errs.push(required('reportingController'));
  for (const msg of isQualifiedName(controller)) errs.push(invalid('reportingController', controller, msg));
  const instance = str(event.reportingInstance);
  if (instance === '') errs.push(required('reportingInstance'));
  errs.push(...tooLong('reportingInstance', instance, REPORTING_INSTANCE_LIMIT));
  if (str(event.action) === '') errs.push(required('action'));
  errs.push(...tooLong('action', str(event.action), ACTION_LIMIT));
  if (str(event.reason) === '') errs.push(required('reason'));
  errs.push(...tooLong('reason', str(event.reason), REASON_LIMIT));
  errs.push(...tooLong('message', str(event.note), NOTE_LIMIT));
  const series = asObj(event.series);
  if (series !== undefined) {
    if ((num(series.count) ?? 0) < 2) errs.push(invalid('series.count', '', 'should be at least 2'));
    if (str(series.lastObservedTime) === '') errs.push(required('series.lastObservedTime'));
  }
  if (str(event.eventTime) === '') errs.push(required('eventTime'));
  const type = str(event.type);
  if (type !== 'Normal' && type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${type}`));
  if (str(event.deprecatedFirstTimestamp) !== '') errs.push(invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (str(event.deprecatedLastTimestamp) !== '') errs.push(invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
  if ((num(event.deprecatedCount) ?? 0) !== 0) errs.push(invalid('deprecatedCount', '', 'needs to be unset'));
  const source = asObj(event.deprecatedSource) ?? {};
  if (str(source.component) !== '' || str(source.host) !== '') errs.push(invalid('deprecatedSource', '', 'needs to be unset'));
  return errs;
}

const IMMUTABLE = ['action', 'reason', 'regarding', 'related', 'note', 'reportingController', 'reportingInstance', 'type', 'eventTime'];

/**
 * events.k8s.io/v1 events: the core/v1 events themselves, kept in core form and converted on every
 * read and write, so an event written through either API reads back through the other.
 */
export function eventsV1Resource(): ResourceDefinition {
  const core = eventsInfo();
  const info = defineResourceInfo({
    group: 'events.k8s.io',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    // Kubernetes prints both versions with one printer: the core table over the core form.
    table: { columns: core.table.columns, cells: (event, now) => core.table.cells(eventsV1ToCoreEvent(event), now) },
  });
  return defineResource(info, {
    storedAs: { group: '', resource: 'events', fromStorage: coreEventToEventsV1, toStorage: eventsV1ToCoreEvent },
    validateCreate: validateEventsV1,
    validateUpdate: (event, old) => [
      ...validateEventsV1(event),
      ...IMMUTABLE.flatMap((key) => validateImmutable(event[key], old[key], key)),
    ],
  });
}

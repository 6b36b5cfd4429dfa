import {
  boolField,
  int32Field,
  int64Field,
  message,
  messageField,
  repeatedMessages,
  repeatedStrings,
  stringField,
  stringMap,
} from './descriptor.js';

/**
 * k8s.io/apimachinery: pkg/apis/meta/v1, pkg/util/intstr and pkg/api/resource generated.proto,
 * with their real field numbers.
 */

/** RFC 3339 with second precision, as metav1.Time writes JSON. */
function rfc3339(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * metav1.Time {seconds = 1, nanos = 2}. Go writes a zero time as an empty message (and as JSON
 * null), so an empty message leaves the field out; metav1.Time's JSON drops the nanoseconds.
 */
export const Time = message(
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time',
  { 1: int64Field('seconds', { pointer: true }), 2: int32Field('nanos', { pointer: true }) },
  (t) => (t.seconds === undefined && t.nanos === undefined ? undefined : rfc3339(Number(t.seconds ?? 0))),
);

/** intstr.IntOrString {type = 1 (0 int, 1 string), intVal = 2, strVal = 3}: a JSON number or string. */
export const IntOrString = message(
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
  { 1: int64Field('type', { pointer: true }), 2: int32Field('intVal', { pointer: true }), 3: stringField('strVal', { pointer: true }) },
  (v) => (v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0)),
);

/** resource.Quantity {string = 1}: its canonical string. */
export const Quantity = message(
  'k8s.io.apimachinery.pkg.api.resource.Quantity',
  { 1: stringField('string', { pointer: true }) },
  (q) => q.string ?? '0',
);

export const OwnerReference = message('k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference', {
  1: stringField('kind'),
  3: stringField('name'),
  4: stringField('uid'),
  5: stringField('apiVersion'),
  6: boolField('controller', { pointer: true }),
  7: boolField('blockOwnerDeletion', { pointer: true }),
});

/** FieldsV1 {Raw = 1}: its JSON form is the JSON document its bytes hold. */
const FieldsV1 = message(
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1',
  { 1: { json: 'raw', type: 'bytes', shape: 'single', pointer: false } },
  (f) => {
    if (typeof f.raw !== 'string') return undefined;
    try {
      return JSON.parse(Buffer.from(f.raw, 'base64').toString('utf8')) as unknown;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      // Not JSON: left out; the server records ownership of the write itself.
      return undefined;
    }
  },
);

/** managedFields entries, which a client that read an object sends back on update (kubectl auth reconcile). */
const ManagedFieldsEntry = message('k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry', {
  1: stringField('manager'),
  2: stringField('operation'),
  3: stringField('apiVersion'),
  4: messageField('time', Time),
  6: stringField('fieldsType'),
  7: messageField('fieldsV1', FieldsV1),
  8: stringField('subresource'),
});

export const ObjectMeta = message('k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', {
  1: stringField('name'),
  2: stringField('generateName'),
  3: stringField('namespace'),
  4: stringField('selfLink'),
  5: stringField('uid'),
  6: stringField('resourceVersion'),
  7: int64Field('generation'),
  8: messageField('creationTimestamp', Time),
  9: messageField('deletionTimestamp', Time),
  10: int64Field('deletionGracePeriodSeconds', { pointer: true }),
  11: stringMap('labels'),
  12: stringMap('annotations'),
  13: repeatedMessages('ownerReferences', OwnerReference),
  14: repeatedStrings('finalizers'),
  17: repeatedMessages('managedFields', ManagedFieldsEntry),
});

export const LabelSelectorRequirement = message('k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement', {
  1: stringField('key'),
  2: stringField('operator'),
  3: repeatedStrings('values'),
});

export const LabelSelector = message('k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', {
  1: stringMap('matchLabels'),
  2: repeatedMessages('matchExpressions', LabelSelectorRequirement),
});

export const Preconditions = message('k8s.io.apimachinery.pkg.apis.meta.v1.Preconditions', {
  1: stringField('uid', { pointer: true }),
  2: stringField('resourceVersion', { pointer: true }),
});

/** What `kubectl drain` sends when it deletes pods (field 6, an alpha flag, is not decoded). */
export const DeleteOptions = message('k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions', {
  1: int64Field('gracePeriodSeconds', { pointer: true }),
  2: messageField('preconditions', Preconditions),
  3: boolField('orphanDependents', { pointer: true }),
  4: stringField('propagationPolicy', { pointer: true }),
  5: repeatedStrings('dryRun'),
});

import { describe, expect, it } from 'vitest';
import { decodeProtobufBody } from './index.js';
import { deleteOptionsBody, encode, envelope, varint, type TestField } from './test-helpers.js';

/** Crafted bodies: the JSON forms of special types, zero values, unknown fields and bad bytes. */
const meta = (name: string, extra: TestField[] = []): TestField => ({ field: 1, message: [{ field: 1, string: name }, ...extra] });

function decoded(body: Buffer): Record<string, unknown> {
  const result = decodeProtobufBody(body);
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

function failure(body: Buffer): { code: string; message: string } {
  const result = decodeProtobufBody(body);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result;
}

/** A Pod whose one container carries `containerFields` after its name. */
function podWith(containerFields: TestField[], specFields: TestField[] = []): Buffer {
  return envelope('v1', 'Pod', [
    meta('p'),
    { field: 2, message: [{ field: 2, message: [{ field: 1, string: 'c' }, ...containerFields] }, ...specFields] },
  ]);
}

describe('special JSON forms', () => {
  it('turns metav1.Time into RFC 3339 (seconds) and leaves out an empty (zero) Time', () => {
    const withTime = decoded(envelope('v1', 'ConfigMap', [meta('t', [{ field: 8, message: [{ field: 1, varint: 1_700_000_000 }, { field: 2, varint: 5 }] }])]));
    expect(withTime.metadata).toEqual({ name: 't', creationTimestamp: '2023-11-14T22:13:20Z' });
    const zero = decoded(envelope('v1', 'ConfigMap', [meta('t', [{ field: 8, message: [] }])]));
    expect(zero.metadata).toEqual({ name: 't' });
  });

  it('turns a map of resource.Quantity into strings', () => {
    const limits: TestField = { field: 1, message: [{ field: 1, string: 'cpu' }, { field: 2, message: [{ field: 1, string: '500m' }] }] };
    const requests: TestField = { field: 2, message: [{ field: 1, string: 'memory' }, { field: 2, message: [{ field: 1, string: '64Mi' }] }] };
    const pod = decoded(podWith([{ field: 8, message: [limits, requests] }]));
    expect(pod.spec).toEqual({ containers: [{ name: 'c', resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } } }] });
  });

  it('keeps an explicit IntOrString 0 in a pointer field and a string one as a string', () => {
    const rollingUpdate: TestField = {
      field: 2,
      message: [
        { field: 1, message: [{ field: 1, varint: 0 }, { field: 2, varint: 0 }, { field: 3, string: '' }] },
        { field: 2, message: [{ field: 1, varint: 1 }, { field: 2, varint: 0 }, { field: 3, string: '25%' }] },
      ],
    };
    const deploy = decoded(envelope('apps/v1', 'Deployment', [meta('d'), { field: 2, message: [{ field: 4, message: [{ field: 1, string: 'RollingUpdate' }, rollingUpdate] }] }]));
    expect(deploy.spec).toEqual({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } } });
  });

  it('base64-encodes secret bytes that are not UTF-8', () => {
    const secret = decoded(envelope('v1', 'Secret', [meta('s'), { field: 2, message: [{ field: 1, string: 'bin' }, { field: 2, bytes: Buffer.from([0xff, 0x00]) }] }]));
    expect(secret.data).toEqual({ bin: '/wA=' });
  });
});

describe('zero values and pointers (proto2 as gogo-protobuf writes it)', () => {
  it('drops zero Go value fields and keeps zero pointer fields', () => {
    const cm = decoded(envelope('v1', 'ConfigMap', [meta('z', [{ field: 2, string: '' }, { field: 7, varint: 0 }]), { field: 4, varint: 0 }]));
    expect(cm).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'z' }, immutable: false });
  });

  it('reads negative int32 values (10-byte two’s complement varints)', () => {
    const pod = decoded(podWith([{ field: 6, message: [{ field: 3, varint: 80 }, { field: 2, varint: -1 }] }]));
    expect(pod.spec).toEqual({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: -1 }] }] });
  });

  it('decodes every DeleteOptions field', () => {
    const body = envelope('v1', 'DeleteOptions', [
      { field: 1, varint: 0 },
      { field: 2, message: [{ field: 1, string: 'uid-1' }, { field: 2, string: '42' }] },
      { field: 3, varint: 0 },
      { field: 4, string: 'Foreground' },
      { field: 5, string: 'All' },
    ]);
    expect(decoded(body)).toEqual({
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'uid-1', resourceVersion: '42' },
      orphanDependents: false,
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    });
    expect(decoded(deleteOptionsBody({ propagationPolicy: 'Background' }))).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });
  });
});

describe('fields this server does not describe', () => {
  it('skips an unknown field holding a zero value (what newer clients write for new Go fields)', () => {
    const pod = decoded(podWith([{ field: 99, varint: 0 }, { field: 98, string: '' }]));
    expect(pod.spec).toEqual({ containers: [{ name: 'c' }] });
  });

  it('refuses an unknown field with data (415), naming the message and where it is', () => {
    // A field number Container does not have (yet): newer clients may send one with data.
    const future: TestField = { field: 99, message: [{ field: 1, message: [] }] };
    const result = failure(podWith([future]));
    expect(result.code).toBe('UnsupportedMediaType');
    expect(result.message).toContain('field 99 of k8s.io.api.core.v1.Container (at spec.containers[0])');
  });
});

describe('malformed bodies (400)', () => {
  it('refuses a body without the k8s\\0 prefix', () => {
    expect(failure(Buffer.from('{"kind":"Pod"}'))).toMatchObject({ code: 'BadRequest', message: expect.stringContaining('k8s\\x00') });
  });

  it('refuses a truncated message', () => {
    const good = envelope('v1', 'ConfigMap', [meta('cm')]);
    expect(failure(good.subarray(0, good.length - 2)).code).toBe('BadRequest');
  });

  it('refuses a field whose wire type does not fit its type', () => {
    const result = failure(envelope('v1', 'ConfigMap', [{ field: 1, message: [{ field: 1, varint: 5 }] }]));
    expect(result).toMatchObject({ code: 'BadRequest', message: expect.stringContaining('metadata.name') });
  });

  it('refuses an int64 beyond what JSON numbers hold exactly', () => {
    const result = failure(envelope('v1', 'Pod', [meta('p'), { field: 2, message: [{ field: 4, varint: 2n ** 62n }] }]));
    expect(result).toMatchObject({ code: 'BadRequest', message: expect.stringContaining('spec.terminationGracePeriodSeconds') });
  });

  it('refuses an envelope without a kind, and a compressed one (415)', () => {
    expect(failure(Buffer.concat([Buffer.from('k8s\0', 'latin1'), encode([{ field: 2, bytes: Buffer.alloc(0) }])])).code).toBe('BadRequest');
    expect(failure(envelope('v1', 'ConfigMap', [meta('cm')], [{ field: 3, string: 'gzip' }])).code).toBe('UnsupportedMediaType');
  });

  it('accepts a varint written in its longest form', () => {
    // 5 as a 10-byte varint: still 5.
    const padded = Buffer.from([0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
    const body = envelope('v1', 'Pod', Buffer.concat([encode([meta('p')]), Buffer.from([0x12]), varint(11), Buffer.from([0x20]), padded]));
    expect(decoded(body).spec).toEqual({ terminationGracePeriodSeconds: 5 });
  });
});

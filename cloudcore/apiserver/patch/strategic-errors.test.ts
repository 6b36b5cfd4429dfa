import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from './index.js';
import { str, obj, mergeList, objectMeta } from './test-schemas.js';

const schema = obj({
  metadata: objectMeta,
  spec: obj({
    strategy: obj({ type: str, rollingUpdate: obj({ maxSurge: { type: 'int-or-string' } }) }, { patchStrategy: 'retainKeys' }),
    template: obj({ spec: obj({ containers: mergeList(obj({ name: str, image: str }), 'name') }) }),
  }),
});
const deployment = () => ({
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'] },
  spec: {
    strategy: { type: 'RollingUpdate' },
    template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }, { name: 'sidecar', image: 'busybox:1' }] } },
  },
});

describe('applyStrategicMergePatch errors', () => {
  const patch = (body: unknown) => applyStrategicMergePatch(deployment(), body, schema);

  it('rejects a body that is not an object', () => {
    expect(patch([])).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(patch('x')).toMatchObject({ ok: false, code: 'BadRequest' });
  });

  it('rejects a merge list item without its merge key', () => {
    expect(patch({ spec: { template: { spec: { containers: [{ image: 'x' }] } } } })).toEqual({
      ok: false,
      code: 'BadRequest',
      message: 'map: {"image":"x"} does not contain declared merge key: name',
    });
  });

  it('rejects unknown $patch values', () => {
    expect(patch({ metadata: { labels: { $patch: 'explode' } } })).toMatchObject({ code: 'BadRequest' });
    expect(patch({ spec: { template: { spec: { containers: [{ $patch: 'merge', name: 'web' }] } } } })).toMatchObject({
      code: 'BadRequest',
      message: 'merging lists cannot yet be specified in the patch',
    });
  });

  it('rejects a patch list whose order contradicts $setElementOrder', () => {
    const body = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
            containers: [{ name: 'sidecar', image: 'a' }, { name: 'web', image: 'b' }],
          },
        },
      },
    };
    expect(patch(body)).toMatchObject({ ok: false, code: 'BadRequest' });
  });

  it('rejects a patch key missing from $retainKeys and malformed directive values', () => {
    expect(patch({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } })).toMatchObject({ code: 'BadRequest' });
    expect(patch({ spec: { strategy: { $retainKeys: 'type' } } })).toMatchObject({ code: 'BadRequest' });
    expect(patch({ metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } })).toMatchObject({ code: 'BadRequest' });
    expect(patch({ spec: { template: { spec: { '$setElementOrder/containers': {} } } } })).toMatchObject({ code: 'BadRequest' });
  });

  it('rejects lists of lists in a merge list', () => {
    expect(applyStrategicMergePatch({ metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [['b']] } }, schema))
      .toMatchObject({ ok: false, code: 'Invalid' });
  });
});

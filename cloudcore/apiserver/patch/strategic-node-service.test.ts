import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from './index.js';
import { str, int, bool, obj, mergeList, objectMeta } from './test-schemas.js';

// core/v1 NodeSpec.taints has no patch strategy: kubectl taint sends the whole new list.
const nodeSchema = obj({
  metadata: objectMeta,
  spec: obj({ podCIDR: str, unschedulable: bool, taints: { type: 'array', items: obj({ key: str, value: str, effect: str }) } }),
});
const serviceSchema = obj({
  metadata: objectMeta,
  spec: obj({ selector: { type: 'map', values: str }, ports: mergeList(obj({ name: str, port: int, targetPort: { type: 'int-or-string' } }), 'port') }),
});

describe('applyStrategicMergePatch on metadata, nodes and services', () => {
  it('merges finalizers as a set and deletes with $deleteFromPrimitiveList', () => {
    const doc = { metadata: { name: 'x', finalizers: ['a', 'b'] } };
    const added = applyStrategicMergePatch(doc, { metadata: { finalizers: ['b', 'c'] } }, nodeSchema);
    expect(added.ok && (added.value as typeof doc).metadata.finalizers).toEqual(['a', 'b', 'c']);
    const removed = applyStrategicMergePatch(
      doc,
      { metadata: { '$setElementOrder/finalizers': ['a'], '$deleteFromPrimitiveList/finalizers': ['b'] } },
      nodeSchema,
    );
    expect(removed.ok && (removed.value as typeof doc).metadata.finalizers).toEqual(['a']);
  });

  it('merges ownerReferences by uid', () => {
    const doc = { metadata: { ownerReferences: [{ uid: 'u1', name: 'rs1', kind: 'ReplicaSet' }] } };
    const result = applyStrategicMergePatch(
      doc,
      { metadata: { ownerReferences: [{ uid: 'u1', controller: true }, { uid: 'u2', name: 'rs2', kind: 'ReplicaSet' }] } },
      nodeSchema,
    );
    expect(result.ok && (result.value as typeof doc).metadata.ownerReferences).toEqual([
      { uid: 'u1', name: 'rs1', kind: 'ReplicaSet', controller: true },
      { uid: 'u2', name: 'rs2', kind: 'ReplicaSet' },
    ]);
  });

  it('applies cordon and uncordon to a node', () => {
    const node = { metadata: { name: 'edge-1' }, spec: { podCIDR: '10.42.1.0/24' } };
    const cordoned = applyStrategicMergePatch(node, { spec: { unschedulable: true } }, nodeSchema);
    expect(cordoned).toEqual({ ok: true, value: { metadata: { name: 'edge-1' }, spec: { podCIDR: '10.42.1.0/24', unschedulable: true } } });
    const uncordoned = applyStrategicMergePatch(cordoned.ok ? cordoned.value : {}, { spec: { unschedulable: null } }, nodeSchema);
    expect(uncordoned).toEqual({ ok: true, value: node });
  });

  it('replaces the atomic taints list (kubectl taint)', () => {
    const node = { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } };
    const added = applyStrategicMergePatch(
      node,
      { spec: { taints: [{ effect: 'NoSchedule', key: 'a' }, { effect: 'NoExecute', key: 'b', value: 'x' }] } },
      nodeSchema,
    );
    expect(added.ok && added.value).toEqual({
      spec: { taints: [{ effect: 'NoSchedule', key: 'a' }, { effect: 'NoExecute', key: 'b', value: 'x' }] },
    });
    const removed = applyStrategicMergePatch(node, { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } }, nodeSchema);
    expect(removed.ok && removed.value).toEqual({ spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } });
  });

  it('merges service ports by port', () => {
    const svc = { spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
    const result = applyStrategicMergePatch(
      svc,
      { spec: { '$setElementOrder/ports': [{ port: 80 }, { port: 443 }], ports: [{ name: 'https', port: 443, targetPort: 8443 }] } },
      serviceSchema,
    );
    expect(result.ok && result.value).toEqual({
      spec: {
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 8080 },
          { name: 'https', port: 443, targetPort: 8443 },
        ],
      },
    });
  });

});

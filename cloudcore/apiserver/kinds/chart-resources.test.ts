import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { chartResources } from './chart-resources.js';

/**
 * The chart kinds' strategies read objects that passed only the schema layer (docs/kinds.md):
 * any shape the schema lets through, or that a hostile body carries where the schema allows any
 * value, must give field errors, never an exception.
 */
const odd: unknown[] = [null, 'text', 7, -1, true, [], [null], [{ a: [] }], { '': null }, { type: 'Pod', name: 5 }];

function shapes(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const value of odd) {
    out.push({ spec: value });
    out.push({ spec: { rules: value, metrics: value, limits: value, hard: value, ingress: [value], egress: value, behavior: { scaleUp: value }, resources: value, capacity: value, scaleTargetRef: value, accessModes: value, parameters: value } });
    out.push({ webhooks: [value, { clientConfig: value, rules: [value] }], handler: value, provisioner: value, value, regarding: value, series: value, status: { loadBalancer: value, phase: value } });
  }
  return out;
}

describe('chart kinds on odd input', () => {
  it('never throw from defaults, validation, tables or conversions', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    for (const def of chartResources()) {
      for (const shape of shapes()) {
        const obj = { apiVersion: 'x/v1', kind: def.kind, metadata: { name: 'n', namespace: 'default', annotations: { 'autoscaling.alpha.kubernetes.io/metrics': '[1' } }, ...structuredClone(shape) } as KubeObject;
        expect(() => {
          def.applyDefaults(obj);
          def.prepareForCreate(obj);
          def.validateCreate(obj);
          def.validateUpdate(obj, structuredClone(obj));
          def.validateStatusUpdate(obj, structuredClone(obj));
          def.table.cells(obj, now);
          if (def.storedAs !== undefined) def.storedAs.fromStorage(def.storedAs.toStorage(obj));
        }, `${def.group}/${def.version} ${def.kind} ${JSON.stringify(shape)}`).not.toThrow();
      }
    }
  });
});

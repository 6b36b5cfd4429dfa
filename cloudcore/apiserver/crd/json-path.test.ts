import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { evaluateJsonPath, parseJsonPath } from './json-path.js';
import { printerColumnsTable } from './printer-columns.js';

const obj = {
  metadata: { name: 'w1', creationTimestamp: '2025-01-01T00:00:00Z', labels: { 'app.kubernetes.io/name': 'x' } },
  spec: { replicas: 3, items: [{ name: 'a' }, { name: 'b' }] },
  status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] },
};

function select(path: string): unknown[] {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) throw new Error(parsed.message);
  return evaluateJsonPath(parsed.steps, obj);
}

describe('JSONPath subset', () => {
  it('follows fields, indexes, wildcards and filters', () => {
    expect(select('.spec.replicas')).toEqual([3]);
    expect(select('{.spec.replicas}')).toEqual([3]);
    expect(select('.spec.items[1].name')).toEqual(['b']);
    expect(select('.spec.items[-1].name')).toEqual(['b']);
    expect(select('.spec.items[*].name')).toEqual(['a', 'b']);
    expect(select('.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(select(".status.conditions[?(@.type!='Ready')].type")).toEqual(['Synced']);
    expect(select(".metadata.labels['app.kubernetes.io/name']")).toEqual(['x']);
    expect(select('.spec.missing')).toEqual([]);
  });

  it('rejects what it does not support', () => {
    expect(parseJsonPath('..spec').ok).toBe(false);
    expect(parseJsonPath('.spec[').ok).toBe(false);
  });
});

describe('printer columns', () => {
  const now = new Date('2025-01-01T00:05:00Z');

  it('shows Name then the columns, with ages for dates and empty cells for missing values', () => {
    const table = printerColumnsTable([
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: 'Missing', type: 'string', jsonPath: '.spec.nothing', priority: 1 },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ]);
    expect(table.columns.map((c) => [c.name, c.priority])).toEqual([['Name', 0], ['Replicas', 0], ['Ready', 0], ['Missing', 1], ['Age', 0]]);
    expect(table.cells(obj as unknown as KubeObject, now)).toEqual(['w1', 3, 'True', null, '5m']);
  });

  it('is NAME and AGE without columns', () => {
    const table = printerColumnsTable([]);
    expect(table.columns.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(table.cells(obj as unknown as KubeObject, now)).toEqual(['w1', '5m']);
  });
});

import { isRecord } from '../../../shared/k8s/types.js';
import { ageSince } from '../../../shared/apimachinery/resources/human-duration.js';
import { nameColumn } from '../../../shared/apimachinery/resources/table-columns.js';
import type { TableCell, TableColumn, TableSpec } from '../kinds/types.js';
import { evaluateJsonPath, parseJsonPath, type PathStep } from './json-path.js';
import { stringifyJson } from '../../../shared/json/index.js';

/** One `additionalPrinterColumns` entry of a CRD version. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const COLUMN_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'date']);

/** What a CRD without printer columns shows: NAME and AGE, as Kubernetes serves it. */
const DEFAULT_COLUMNS: PrinterColumn[] = [
  {
    name: 'Age',
    type: 'date',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
    jsonPath: '.metadata.creationTimestamp',
  },
];

/**
 * The Table of a custom resource (apiextensions' tableconvertor): Name, then each printer column
 * evaluated with its JSONPath. Only the first value found is shown; nothing found is an empty cell
 * (kubectl prints `<none>`); `date` cells print as ages.
 */
export function printerColumnsTable(columns: readonly PrinterColumn[]): TableSpec {
  const used = columns.length > 0 ? columns : DEFAULT_COLUMNS;
  const compiled = used.map((c) => ({ column: c, steps: compileOrEmpty(c.jsonPath) }));
  return {
    columns: [
      nameColumn(),
      ...used.map((c): TableColumn => ({
        name: c.name,
        type: (COLUMN_TYPES.has(c.type) ? c.type : 'string') as TableColumn['type'],
        ...(c.format ? { format: c.format } : {}),
        description: c.description ?? '',
        priority: c.priority ?? 0,
      })),
    ],
    cells: (obj, now) => [
      obj.metadata.name ?? '',
      ...compiled.map(({ column, steps }) => {
        if (steps === undefined) return null;
        return cellFor(column.type, evaluateJsonPath(steps, obj)[0], now);
      }),
    ],
  };
}

function compileOrEmpty(jsonPath: string): PathStep[] | undefined {
  const parsed = parseJsonPath(jsonPath);
  return parsed.ok ? parsed.steps : undefined;
}

/** cellForJSONValue: a value of the wrong type for its column shows as empty. */
export function cellFor(type: string, value: unknown, now: Date): TableCell {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : ageSince(value, now);
    default:
      // String columns print any value, as jsonpath's printer does.
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return isRecord(value) || Array.isArray(value) ? stringifyJson(value) : null;
  }
}

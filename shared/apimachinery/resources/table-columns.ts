import type { TableColumn } from './types.js';

/** Column helpers; names are Kubernetes' (kubectl upper-cases them: "Nominated Node" → NOMINATED NODE). */
export function column(name: string, description: string, options: Partial<Pick<TableColumn, 'type' | 'priority' | 'format'>> = {}): TableColumn {
  return {
    name,
    type: options.type ?? 'string',
    ...(options.format === undefined ? {} : { format: options.format }),
    description,
    priority: options.priority ?? 0,
  };
}

export const nameColumn = (): TableColumn =>
  column('Name', 'Name must be unique within a namespace. Is required when creating resources.', { format: 'name' });

export const ageColumn = (): TableColumn =>
  column('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

/** labels.FormatLabels: `a=1,b=2` sorted by key, or `<none>`. */
export function formatLabels(map: Record<string, string>): string {
  const keys = Object.keys(map).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${map[k] ?? ''}`).join(',');
}

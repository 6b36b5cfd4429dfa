/**
 * `kubectl get nodes,pods -o wide` without kubectl: the API's own Table answers (server-side
 * printing, `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) laid out as kubectl lays
 * them out: headers upper-cased, every column (wide shows those of priority > 0 too), names
 * prefixed `node/`, `pod/` when several kinds are listed, and Go's tabwriter spacing (kubectl's
 * printers.GetNewTabWriter: minimum width 6, padding 3).
 */
import { z } from 'zod';
import type { AdminApi } from '../admin-api-client.js';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const MIN_WIDTH = 6;
const PADDING = 3;

const tableSchema = z.object({
  columnDefinitions: z.array(z.object({ name: z.string(), priority: z.number().optional() })),
  rows: z.array(z.object({ cells: z.array(z.unknown()) })),
});

export interface TableText {
  headers: string[];
  rows: string[][];
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '<none>';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return JSON.stringify(cell);
}

/** Reads one list as a Table; `kind` (`node`, `pod`) prefixes the names. Undefined when the answer is no Table. */
export async function readTable(api: AdminApi, path: string, kind?: string): Promise<TableText | undefined> {
  const res = await api.call('GET', path, undefined, { Accept: TABLE_ACCEPT });
  const table = tableSchema.safeParse(res.body);
  if (res.status !== 200 || !table.success) return undefined;
  const headers = table.data.columnDefinitions.map((c) => c.name.toUpperCase());
  const nameAt = headers.indexOf('NAME');
  const rows = table.data.rows.map((row) => headers.map((_, i) => (i === nameAt && kind !== undefined ? `${kind}/${cellText(row.cells[i])}` : cellText(row.cells[i]))));
  return { headers, rows };
}

/** Lays a table out with tabwriter's rules: each column as wide as its widest cell plus padding, at least MIN_WIDTH (6); the last column unpadded. */
export function layoutTable(table: TableText): string[] {
  const all = [table.headers, ...table.rows];
  const widths = table.headers.map((_, i) => Math.max(MIN_WIDTH, ...all.map((row) => (row[i] ?? '').length + PADDING)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? MIN_WIDTH))).join('').trimEnd());
}

/** The text of `kubectl get nodes,pods -o wide` (pods of the default namespace), tables separated by a blank line. */
export async function nodesAndPodsText(api: AdminApi): Promise<string[]> {
  const nodes = await readTable(api, '/api/v1/nodes', 'node');
  const pods = await readTable(api, '/api/v1/namespaces/default/pods', 'pod');
  const parts = [nodes, pods].filter((t): t is TableText => t !== undefined && t.rows.length > 0).map(layoutTable);
  return parts.flatMap((lines, i) => (i === 0 ? lines : ['', ...lines]));
}

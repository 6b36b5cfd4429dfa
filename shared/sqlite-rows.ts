import { z } from 'zod';
import { OutpostError } from './errors.js';

/**
 * SQLite rows are input like any other (docs/architecture.md § Input): a file can be damaged,
 * edited by hand, or written by another build. Each table's row schema is defined once beside
 * the code that owns the table, and every row read is parsed with it. A row that does not match
 * is not an expected outcome the caller can handle, so it throws, with code StoreCorrupt.
 */
export type RowParser<T> = (row: unknown) => T;

export function rowParser<S extends z.ZodType>(table: string, schema: S): RowParser<z.output<S>> {
  return (row) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ');
    throw new OutpostError('StoreCorrupt', `a row of ${table} does not match its schema: ${problems}`);
  };
}

/** A row `.get()` may not find: undefined stays undefined, anything else is parsed. */
export function optionalRow<T>(parse: RowParser<T>, row: unknown): T | undefined {
  return row === undefined ? undefined : parse(row);
}

/** A TEXT column holding JSON, parsed and then checked with `schema`. */
export function jsonColumn<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        ctx.issues.push({ code: 'custom', input: text, message: `not JSON: ${err instanceof Error ? err.message : String(err)}` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** `SELECT count(*) AS n`. */
export const countRowSchema = z.object({ n: z.number().int().nonnegative() });

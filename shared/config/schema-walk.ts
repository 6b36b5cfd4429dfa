/**
 * Reads a config schema's own documentation (docs/configuration.md § One source of truth): each
 * field's description (`.describe()` / `.meta({ description })`), its example (`.meta({ example })`),
 * whether it has a default or is optional. The printed default config and the reference in the
 * docs come from here, so a field cannot be added without saying what it is.
 */
import { z } from 'zod';

export interface FieldInfo {
  /** The first description found from the outside in (a `.describe()` may sit on either side of `.default()`). */
  description: string | undefined;
  example: unknown;
  hasDefault: boolean;
  optional: boolean;
  /** The schema under the default/optional wrappers. */
  inner: z.ZodType;
}

function metaOf(schema: z.ZodType): Record<string, unknown> {
  return (z.globalRegistry.get(schema) as Record<string, unknown> | undefined) ?? {};
}

export function fieldInfo(schema: z.ZodType): FieldInfo {
  let current: z.ZodType = schema;
  let description: string | undefined;
  let example: unknown;
  let hasDefault = false;
  let optional = false;
  for (;;) {
    const meta = metaOf(current);
    description ??= typeof meta.description === 'string' ? meta.description : undefined;
    example ??= meta.example;
    if (current instanceof z.ZodDefault) {
      hasDefault = true;
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodOptional) {
      optional = true;
      current = current.unwrap() as z.ZodType;
    } else {
      return { description, example, hasDefault, optional, inner: current };
    }
  }
}

/** The fields of an object schema, in declaration order; undefined for anything else. */
export function objectFields(schema: z.ZodType): [string, z.ZodType][] | undefined {
  if (!(schema instanceof z.ZodObject)) return undefined;
  return Object.entries(schema.shape as Record<string, z.ZodType>);
}

/** Every field of an object schema with its path (`['apiserver', 'port']`), sections included. */
export function fieldEntries(schema: z.ZodType, prefix: string[] = []): { path: string[]; info: FieldInfo }[] {
  return (objectFields(schema) ?? []).flatMap(([key, field]) => {
    const path = [...prefix, key];
    const info = fieldInfo(field);
    return [{ path, info }, ...fieldEntries(info.inner, path)];
  });
}

export function fieldPaths(schema: z.ZodType): string[][] {
  return fieldEntries(schema).map((entry) => entry.path);
}

/**
 * The smallest input the schema accepts: every required field without a default gets its
 * example (`.meta({ example })`), so the edge's nodeName and hub address have placeholders.
 */
export function exampleInput(schema: z.ZodType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of objectFields(schema) ?? []) {
    const info = fieldInfo(field);
    if (info.hasDefault || info.optional) continue;
    out[key] = objectFields(info.inner) !== undefined ? exampleInput(info.inner) : info.example;
  }
  return out;
}

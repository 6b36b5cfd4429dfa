/**
 * Kubernetes' descriptions of the built-in types and their fields, for the OpenAPI documents
 * `kubectl explain` prints (docs/kubectl.md § OpenAPI). They are API documentation, read at run
 * time from an installed copy of Kubernetes' generated API models: @kubernetes/client-node's
 * `dist/gen/models/<Class>.d.ts`, whose JSDoc comments are the OpenAPI descriptions and whose
 * `<Class>.js` attribute maps give each field's JSON name. Nothing is copied into the repo; a
 * missing package means documents without descriptions, never a failure.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export interface TypeDescription {
  /** The type's own description ("A single application container that you want to run within a pod."). */
  description: string | undefined;
  /** JSON field name → description; fields referring to another type have none in the models. */
  fields: Record<string, string>;
}

/** The description of a built-in type by its OpenAPI name (io.k8s.api.core.v1.Container), or undefined. */
export type DescriptionLookup = (openApiName: string) => TypeDescription | undefined;

const typeDescriptionShape = z.object({ description: z.string().optional(), fields: z.record(z.string(), z.string()) });

/** The models folder of the installed @kubernetes/client-node, or undefined when it is not installed. */
function installedModelsDir(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('@kubernetes/client-node');
    return join(dirname(entry), 'gen', 'models');
  } catch (err) {
    // Not installed (a production install without dev dependencies): documents go without descriptions.
    if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

/**
 * A lookup over the models in `modelsDir` (default: the installed package). Each type's files are
 * read on first use and cached, so a document costs only the types it names.
 */
export function createDescriptionLookup(modelsDir: string | undefined = installedModelsDir()): DescriptionLookup {
  const cache = new Map<string, TypeDescription | undefined>();
  return (openApiName) => {
    if (modelsDir === undefined) return undefined;
    if (cache.has(openApiName)) return cache.get(openApiName);
    let found: TypeDescription | undefined;
    for (const className of classNamesOf(openApiName)) {
      found = readModel(modelsDir, className);
      if (found !== undefined) break;
    }
    cache.set(openApiName, found);
    return found;
  };
}

/**
 * The generator's class names for an OpenAPI name: the version and type (`V1PodSpec`), or with
 * the group when two groups share a type name (`CoreV1Event`, `ApiextensionsV1ServiceReference`).
 */
export function classNamesOf(openApiName: string): string[] {
  const parts = openApiName.split('.');
  const type = parts.at(-1) ?? '';
  const version = parts.at(-2) ?? '';
  const group = parts.at(-3) ?? '';
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  if (!/^[A-Za-z0-9]+$/.test(type) || !/^v\d+((alpha|beta)\d+)?$/.test(version)) return [];
  return [`${cap(version)}${type}`, `${cap(group.replace(/[^A-Za-z0-9]/g, ''))}${cap(version)}${type}`];
}

function readModel(dir: string, className: string): TypeDescription | undefined {
  let declaration: string;
  let script: string;
  try {
    declaration = readFileSync(join(dir, `${className}.d.ts`), 'utf8');
    script = readFileSync(join(dir, `${className}.js`), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // the other candidate name
    throw err;
  }
  const parsed = typeDescriptionShape.safeParse(parseModel(declaration, script, className));
  return parsed.success ? { description: parsed.data.description, fields: parsed.data.fields } : undefined;
}

/** JSDoc text: the lines between `/**` and `*\/` without their `*`, joined, with the generator's escapes undone. */
function commentText(block: string): string {
  return block
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, ''))
    .join(' ')
    .trim()
    .replace(/\\(['"\\])/g, '$1');
}

function parseModel(declaration: string, script: string, className: string): unknown {
  const classAt = declaration.indexOf(`export declare class ${className} `);
  if (classAt < 0) return undefined;
  const before = declaration.slice(0, classAt);
  const classComment = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*$/.exec(before);
  const jsonNames = new Map<string, string>();
  for (const m of script.matchAll(/"name":\s*"([^"]+)",\s*"baseName":\s*"([^"]+)"/g)) jsonNames.set(m[1] ?? '', m[2] ?? '');
  const fields: Record<string, string> = {};
  for (const m of declaration.slice(classAt).matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*'([^']+)'\??:/g)) {
    const tsName = m[2] ?? '';
    fields[jsonNames.get(tsName) ?? tsName] = commentText(m[1] ?? '');
  }
  const description = classComment?.[1] === undefined ? undefined : commentText(classComment[1]);
  // The file header ("Kubernetes / No description provided …") is not a type description.
  return { ...(description === undefined || description.startsWith('Kubernetes ') ? {} : { description }), fields };
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSync, type MethodDefinition, type PackageDefinition } from '@grpc/proto-loader';
import { OutpostError } from '../../../shared/errors.js';

/** Where the proto sits relative to the project root, in the sources (tsc does not copy it to dist/). */
const PROTO_FROM_ROOT = join('edgecore', 'edged', 'cri', 'runtime-v1.proto');

/**
 * Decoding options, shared by the client and the test server so both see the same shapes:
 * camelCase field names; int64 as decimal strings, because CRI timestamps are nanoseconds since
 * the epoch (about 1.7e18, far past 2^53); enums by name; absent scalars filled with their
 * proto3 defaults so an answer always has every field.
 */
export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const;

/**
 * The project root: the first folder above this file that holds package.json and the proto.
 * The same walk works from edgecore/edged/cri/ (vitest runs the sources) and from
 * dist/edgecore/edged/cri/ (the compiled build), since both sit below the root.
 */
export function findRuntimeProto(startUrl: string = import.meta.url): string | undefined {
  let dir = dirname(fileURLToPath(startUrl));
  for (;;) {
    const candidate = join(dir, PROTO_FROM_ROOT);
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let loaded: PackageDefinition | undefined;

/** The parsed runtime.v1 package, loaded once on first use (importing this file loads nothing). */
export function runtimePackage(): PackageDefinition {
  if (loaded !== undefined) return loaded;
  const path = findRuntimeProto();
  if (path === undefined) {
    // A packaging fault, not a runtime outcome: the install is missing one of its own files.
    throw new OutpostError('Internal', `the CRI proto ${PROTO_FROM_ROOT} was not found above ${fileURLToPath(import.meta.url)}`);
  }
  loaded = loadSync(path, PROTO_LOADER_OPTIONS);
  return loaded;
}

export type CriServiceName = 'RuntimeService' | 'ImageService';

/** One RPC's definition: its path (/runtime.v1.RuntimeService/Version) and (de)serializers. */
export function criMethod(service: CriServiceName, rpc: string): MethodDefinition<object, unknown> {
  const definition = runtimePackage()[`runtime.v1.${service}`];
  const method = definition !== undefined && 'format' in definition ? undefined : definition?.[rpc];
  if (method === undefined) throw new OutpostError('Internal', `runtime.v1.${service}/${rpc} is not in the CRI proto subset`);
  return method as MethodDefinition<object, unknown>;
}

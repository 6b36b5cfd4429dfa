import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../../k8s/types.js';
import type { ResourceInfo } from '../resources/types.js';

/**
 * Server-side printing: kubectl asks for `application/json;as=Table;v=v1;g=meta.k8s.io` and prints
 * the cells as given. Rows carry PartialObjectMetadata (for NAMESPACE, --show-labels, -L) or the
 * full object when includeObject=Object (for --sort-by).
 */
export type TableVersion = 'v1' | 'v1beta1';

export function wantsTable(req: IncomingMessage): TableVersion | undefined {
  const accept = req.headers.accept ?? '';
  for (const part of accept.split(',')) {
    const params = new Map(
      part.split(';').slice(1).map((p) => {
        const [k, v] = p.split('=').map((s) => s.trim());
        return [k ?? '', v ?? ''] as const;
      }),
    );
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io') {
      const v = params.get('v');
      if (v === 'v1' || v === 'v1beta1') return v;
    }
  }
  return undefined;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function toTable(
  def: ResourceInfo,
  objects: readonly KubeObject[],
  options: { version: TableVersion; include: IncludeObject; now: Date; resourceVersion?: string; continueToken?: string; withHeaders?: boolean },
): Record<string, unknown> {
  const rows = objects.map((obj) => ({
    cells: def.table.cells(obj, options.now),
    object: rowObject(obj, options.include, options.version),
  }));
  const metadata: Record<string, string> = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken !== undefined) metadata.continue = options.continueToken;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata,
    columnDefinitions: options.withHeaders === false ? [] : def.table.columns,
    rows,
  };
}

function rowObject(obj: KubeObject, include: IncludeObject, version: TableVersion): unknown {
  if (include === 'Object') return obj;
  if (include === 'None') return null;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

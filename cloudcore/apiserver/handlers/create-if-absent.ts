import type { KubeObject } from '../../../shared/k8s/types.js';
import { ApiError } from '../../../shared/apimachinery/errors/status.js';
import type { ResourceDefinition } from '../kinds/types.js';
import type { ApiContext } from './context.js';
import { createObject, type WriteOptions } from './create.js';

export type CreateIfAbsentOutcome = { created: true; object: KubeObject } | { created: false };

/**
 * Creates the object, or accepts that it already exists (409 AlreadyExists): the one way for
 * in-process writers that lost a race with another writer, or find the object there from an
 * earlier start. Any other failure is thrown as createObject throws it. Callers that need the
 * existing object read it themselves; most only go on to update it, or do nothing.
 */
export async function createIfAbsent(ctx: ApiContext, def: ResourceDefinition, obj: KubeObject, options: WriteOptions = { dryRun: false }): Promise<CreateIfAbsentOutcome> {
  try {
    return { created: true, object: await createObject(ctx, def, obj, options) };
  } catch (err) {
    if (err instanceof ApiError && err.status.reason === 'AlreadyExists') return { created: false };
    throw err;
  }
}

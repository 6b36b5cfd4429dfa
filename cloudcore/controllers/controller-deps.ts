import type { Logger } from '../../shared/logging.js';
import { OutpostError } from '../../shared/errors.js';
import type { ApiContext } from '../apiserver/index.js';
import type { ResourceDefinition } from '../apiserver/kinds/types.js';
import type { SharedInformerFactory } from '../informers/index.js';

/** What every workload controller is built from (docs/architecture.md § Controllers). */
export interface ControllerDeps {
  /** The API's in-process writers write through this. */
  api: ApiContext;
  /** The process's shared informers: the only way a controller reads. */
  informers: SharedInformerFactory;
  logger: Logger;
}

/** The served definition of a built-in kind a controller reads or writes; a missing one is a wiring bug. */
export function servedDefinition(api: ApiContext, group: string, resource: string): ResourceDefinition {
  const version = ['', 'apps', 'batch', 'discovery.k8s.io', 'policy'].includes(group) ? 'v1' : undefined;
  const def = version === undefined ? undefined : api.registry.get(group, version, resource);
  if (def === undefined) throw new OutpostError('Internal', `${group === '' ? '' : `${group}/`}v1 ${resource} are not served`);
  return def;
}

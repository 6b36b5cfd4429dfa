import type { Logger } from '../../../shared/logging.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { ApiContext } from '../handlers/context.js';
import { createIfAbsent } from '../handlers/create-if-absent.js';
import { updateObject } from '../handlers/update-object.js';
import type { ResourceDefinition } from '../kinds/types.js';
import { cloneJson, equalJson } from '../../../shared/json/index.js';

/**
 * Installs CRDs that ship with cloudcore: created when missing, and brought back to the shipped
 * spec when it differs (an upgrade changed it, or someone edited it), at every start.
 */
export async function ensureCrds(ctx: ApiContext, crdDef: ResourceDefinition, crds: readonly KubeObject[], logger: Logger): Promise<void> {
  for (const wanted of crds) {
    const name = wanted.metadata.name ?? '';
    const current = await ctx.objects.get(crdDef, undefined, name);
    if (current === undefined) {
      // Another writer may have created it meanwhile: the next start compares its spec.
      const outcome = await createIfAbsent(ctx, crdDef, wanted);
      if (outcome.created) logger.info({ crd: name }, 'built-in CRD installed');
      continue;
    }
    const defaulted = cloneJson(wanted);
    crdDef.applyDefaults(defaulted);
    if (equalJson(current.spec, defaulted.spec)) continue;
    await updateObject(ctx, crdDef, {
      namespace: undefined, name, subresource: undefined, dryRun: false,
      mutate: (latest) => {
        // No resourceVersion: applied to whatever is stored now, retried by updateObject on a race.
        delete latest.metadata.resourceVersion;
        return { ...latest, spec: cloneJson(defaulted.spec) };
      },
    });
    logger.info({ crd: name }, 'built-in CRD updated to the shipped spec');
  }
}

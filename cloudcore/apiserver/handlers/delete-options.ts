import { z } from 'zod';
import { NON_NEGATIVE_INT64, parseIntegerParam } from '../../../shared/apimachinery/endpoints/integer-param.js';
import { parseDryRun } from '../../../shared/apimachinery/endpoints/dry-run-param.js';
import { queryBool } from '../../../shared/apimachinery/endpoints/bool-param.js';
import { decodeBody, mediaType, readBody } from '../http/body.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { ResourceRequest } from './context.js';

/** metav1.DeleteOptions, from the body and/or the query string (query wins, as in Kubernetes). */
export const deleteOptionsSchema = z
  .object({
    kind: z.literal('DeleteOptions').optional(),
    apiVersion: z.string().optional(),
    gracePeriodSeconds: z.number().int().min(0).nullish(),
    preconditions: z.object({ uid: z.string().nullish(), resourceVersion: z.string().nullish() }).nullish(),
    propagationPolicy: z.enum(['Orphan', 'Background', 'Foreground']).nullish(),
    orphanDependents: z.boolean().nullish(),
    dryRun: z.array(z.string()).nullish(),
  })
  .strict();

export interface DeleteOptions {
  gracePeriodSeconds: number | undefined;
  preconditionUid: string | undefined;
  preconditionResourceVersion: string | undefined;
  propagationPolicy: 'Orphan' | 'Background' | 'Foreground' | undefined;
  dryRun: boolean;
}

export async function readDeleteOptions(r: ResourceRequest): Promise<DeleteOptions> {
  const raw = await readBody(r.req);
  let body: z.infer<typeof deleteOptionsSchema> = {};
  if (raw.length > 0) {
    const type = mediaType(r.req.headers['content-type']);
    const decoded = decodeBody(raw, type === '' ? 'application/json' : type);
    const parsed = deleteOptionsSchema.safeParse(decoded);
    if (!parsed.success) {
      throw errors.badRequest(`invalid DeleteOptions: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    body = parsed.data;
  }
  // Go's url.Values conversion leaves an empty value unset.
  const graceText = r.query.get('gracePeriodSeconds') || null;
  // An int64 in Go; past it, a 400 rather than a number storage cannot hold (docs/limits.md § API).
  const grace = graceText === null ? (body.gracePeriodSeconds ?? undefined) : parseIntegerParam('gracePeriodSeconds', graceText, NON_NEGATIVE_INT64);
  if (grace !== undefined && (!Number.isSafeInteger(grace) || grace < 0)) throw errors.badRequest(`invalid gracePeriodSeconds ${JSON.stringify(graceText ?? grace)}`);
  const policyText = r.query.get('propagationPolicy') ?? body.propagationPolicy ?? undefined;
  if (policyText !== undefined && policyText !== 'Orphan' && policyText !== 'Background' && policyText !== 'Foreground') {
    throw errors.badRequest(`invalid propagationPolicy ${JSON.stringify(policyText)}`);
  }
  const orphan = body.orphanDependents === true || queryBool(r.query, 'orphanDependents');
  return {
    gracePeriodSeconds: grace,
    preconditionUid: body.preconditions?.uid ?? undefined,
    preconditionResourceVersion: body.preconditions?.resourceVersion ?? undefined,
    propagationPolicy: policyText ?? (orphan ? 'Orphan' : undefined),
    dryRun: parseDryRun(r.query.getAll('dryRun'), 'DeleteOptions') || parseDryRun(body.dryRun ?? [], 'DeleteOptions'),
  };
}

import { z } from 'zod';
import type { Binding, PolicyRule, Role } from './types.js';

const strings = z.array(z.string()).nullish().transform((v) => v ?? []);

const ruleSchema = z.object({
  verbs: strings,
  apiGroups: strings,
  resources: strings,
  resourceNames: strings,
  nonResourceURLs: strings,
});

const metadataSchema = z.object({ name: z.string(), namespace: z.string().optional() });

const roleSchema = z.object({
  metadata: metadataSchema,
  rules: z.array(ruleSchema).nullish().transform((v) => v ?? []),
});

const bindingSchema = z.object({
  metadata: metadataSchema,
  roleRef: z.object({ kind: z.string(), name: z.string() }),
  subjects: z
    .array(z.object({ kind: z.string(), name: z.string(), namespace: z.string().optional() }))
    .nullish()
    .transform((v) => v ?? []),
});

/** A Role or ClusterRole object as the evaluator reads it; undefined when it has not that shape. */
export function readRole(object: unknown): Role | undefined {
  const parsed = roleSchema.safeParse(object);
  if (!parsed.success) return undefined;
  const rules: PolicyRule[] = parsed.data.rules;
  return { namespace: parsed.data.metadata.namespace, name: parsed.data.metadata.name, rules };
}

/** A RoleBinding or ClusterRoleBinding object as the evaluator reads it. */
export function readBinding(object: unknown): Binding | undefined {
  const parsed = bindingSchema.safeParse(object);
  if (!parsed.success) return undefined;
  const { metadata, roleRef, subjects } = parsed.data;
  return { namespace: metadata.namespace, name: metadata.name, roleRef, subjects };
}

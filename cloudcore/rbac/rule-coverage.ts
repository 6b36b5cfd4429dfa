import type { PolicyRule } from '../../shared/rbac/index.js';

/**
 * Kubernetes' "rules covers" (pkg/registry/rbac/validation: Covers, ruleCovers, BreakdownRule,
 * CompactRules, CompactString), written from its documented behaviour: every permission asked
 * for, broken down to one verb on one resource (or URL), must be held by some rule of the owner.
 * docs/rbac.md § Escalation.
 */
const has = (list: readonly string[], value: string): boolean => list.includes(value);
const hasAll = (list: readonly string[], values: readonly string[]): boolean => values.every((v) => list.includes(v));

function resourcesCover(owner: readonly string[], asked: readonly string[]): boolean {
  if (has(owner, '*') || hasAll(owner, asked)) return true;
  return asked.every((resource) => {
    if (has(owner, resource)) return true;
    const slash = resource.indexOf('/');
    return slash >= 0 && has(owner, `*${resource.slice(slash)}`);
  });
}

function urlsCover(owner: readonly string[], asked: readonly string[]): boolean {
  return asked.every((url) => owner.some((o) => o === url || (o.endsWith('*') && url.startsWith(o.slice(0, -1)))));
}

export function ruleCovers(owner: PolicyRule, asked: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, asked.verbs);
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, asked.apiGroups);
  const names = asked.resourceNames.length === 0 ? owner.resourceNames.length === 0 : owner.resourceNames.length === 0 || hasAll(owner.resourceNames, asked.resourceNames);
  return verbs && groups && resourcesCover(owner.resources, asked.resources) && names && urlsCover(owner.nonResourceURLs, asked.nonResourceURLs);
}

/** One rule per group × resource × verb (× name), and per URL × verb. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups) {
    for (const resource of rule.resources) {
      for (const verb of rule.verbs) {
        if (rule.resourceNames.length === 0) out.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [], nonResourceURLs: [] });
        for (const name of rule.resourceNames) out.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name], nonResourceURLs: [] });
      }
    }
  }
  for (const url of rule.nonResourceURLs) {
    for (const verb of rule.verbs) out.push({ verbs: [verb], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [url] });
  }
  return out;
}

/** Whether `owner` holds every permission of `asked`; the ones missing otherwise. */
export function covers(owner: readonly PolicyRule[], asked: readonly PolicyRule[]): { covered: boolean; missing: PolicyRule[] } {
  const missing: PolicyRule[] = [];
  for (const rule of asked) {
    for (const atom of breakdownRule(rule)) if (!owner.some((o) => ruleCovers(o, atom))) missing.push(atom);
  }
  return { covered: missing.length === 0, missing };
}

/** CompactRules: single-resource rules without names merge their verbs per group and resource. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const group = rule.apiGroups[0];
    const resource = rule.resources[0];
    if (rule.apiGroups.length === 1 && rule.resources.length === 1 && rule.resourceNames.length === 0 && rule.nonResourceURLs.length === 0 && group !== undefined && resource !== undefined) {
      const key = `${group}\u0000${resource}`;
      const existing = simple.get(key);
      if (existing === undefined) {
        const copy = { ...rule, verbs: [...rule.verbs] };
        simple.set(key, copy);
        out.push(copy);
      } else {
        for (const verb of rule.verbs) if (!existing.verbs.includes(verb)) existing.verbs.push(verb);
      }
      continue;
    }
    out.push(rule);
  }
  return out;
}

/** Go's %q of a []string: ["a" "b"]. */
export function goQuoted(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

/** CompactString: {APIGroups:["apps"], Resources:["deployments"], Verbs:["create"]}. */
export function compactString(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups.length > 0) parts.push(`APIGroups:${goQuoted(rule.apiGroups)}`);
  if (rule.resources.length > 0) parts.push(`Resources:${goQuoted(rule.resources)}`);
  if (rule.nonResourceURLs.length > 0) parts.push(`NonResourceURLs:${goQuoted(rule.nonResourceURLs)}`);
  if (rule.resourceNames.length > 0) parts.push(`ResourceNames:${goQuoted(rule.resourceNames)}`);
  if (rule.verbs.length > 0) parts.push(`Verbs:${goQuoted(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}

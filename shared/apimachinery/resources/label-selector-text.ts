import { asObj, objArray, str, stringMap } from '../../k8s/object-access.js';
import { formatLabelSelector as formatSelector, labelSelectorFromObject } from '../../k8s/selectors/index.js';

/** A metav1.LabelSelector as read from a loosely typed object (`spec.selector`). */
export interface SelectorRequirementLike {
  key: string;
  operator: string;
  values?: string[] | undefined;
}

export interface LabelSelectorLike {
  matchLabels?: Record<string, string> | undefined;
  matchExpressions?: SelectorRequirementLike[] | undefined;
}

/** Reads a metav1.LabelSelector; undefined when absent (a nil selector, which selects nothing). */
export function readLabelSelector(value: unknown): LabelSelectorLike | undefined {
  const sel = asObj(value);
  if (sel === undefined) return undefined;
  const out: LabelSelectorLike = {};
  if (asObj(sel.matchLabels) !== undefined) out.matchLabels = stringMap(sel.matchLabels);
  if (Array.isArray(sel.matchExpressions)) {
    out.matchExpressions = objArray(sel.matchExpressions).map(
      (e): SelectorRequirementLike => ({
        key: str(e.key),
        operator: str(e.operator),
        values: Array.isArray(e.values) ? e.values.map((v) => str(v)) : undefined,
      }),
    );
  }
  return out;
}

/**
 * The selector as labels.Selector.String() prints it (Scale.status.selector, `-o wide` SELECTOR):
 * requirements sorted by key; `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. A nil or empty
 * selector prints as ''; one that cannot be a selector as '<invalid>'.
 */
export function formatLabelSelector(sel: LabelSelectorLike | undefined): string {
  if (sel === undefined) return '';
  const parsed = labelSelectorFromObject(sel);
  return parsed.ok ? formatSelector(parsed.value) : '<invalid>';
}

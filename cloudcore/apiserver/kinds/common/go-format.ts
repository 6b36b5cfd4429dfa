import type { LabelSelectorLike } from '../../../../shared/apimachinery/resources/label-selector-text.js';

/**
 * Kubernetes prints a field error's bad value with Go's fmt: strings quoted, numbers plain,
 * structs and maps as `%#v` (`map[string]string{"app":"x"}`). `fieldErrorMessage` quotes
 * JSON; a GoValue serializes to nothing in JSON (toJSON → undefined), so the message falls back to
 * its String form, the Go rendering kubectl users know.
 */
export class GoValue {
  constructor(readonly text: string) {}
  toJSON(): undefined {
    return undefined;
  }
  toString(): string {
    return this.text;
  }
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** `map[string]string{"a":"1", "b":"2"}` with keys sorted as Go's fmt does; nil → `map[string]string(nil)`. */
export function goStringMapText(map: Record<string, string> | undefined): string {
  if (map === undefined) return 'map[string]string(nil)';
  const entries = Object.keys(map)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(map[k] ?? '')}`);
  return `map[string]string{${entries.join(', ')}}`;
}

export function goStringMap(map: Record<string, string> | undefined): GoValue {
  return new GoValue(goStringMapText(map));
}

function goStringSlice(values: string[] | undefined): string {
  if (values === undefined) return '[]string(nil)';
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/** `v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`. */
export function goLabelSelector(selector: LabelSelectorLike): GoValue {
  const exprs =
    selector.matchExpressions === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${selector.matchExpressions
          .map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(e.key)}, Operator:${goQuote(e.operator)}, Values:${goStringSlice(e.values)}}`)
          .join(', ')}}`;
  return new GoValue(`v1.LabelSelector{MatchLabels:${goStringMapText(selector.matchLabels)}, MatchExpressions:${exprs}}`);
}

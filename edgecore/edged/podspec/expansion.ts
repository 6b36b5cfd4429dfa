/**
 * `$(VAR)` expansion as Kubernetes does it for env values, command and args
 * (third_party/forked/golang/expansion): `$(NAME)` becomes the variable's value when NAME is
 * defined and stays as written when not; `$$` is an escaped `$`; a `$` before anything else, and
 * an unclosed `$(`, are kept literally.
 */

/** Looks a name up; undefined when the variable is not defined. */
export type VariableLookup = (name: string) => string | undefined;

export function expandVariables(input: string, lookup: VariableLookup): string {
  let output = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    output += input.slice(checkpoint, cursor);
    const { text, advance } = readReference(input.slice(cursor + 1), lookup);
    output += text;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return output + input.slice(checkpoint);
}

/** What follows a `$`: the text to write and how many characters were consumed after the `$`. */
function readReference(rest: string, lookup: VariableLookup): { text: string; advance: number } {
  const first = rest[0] ?? '';
  if (first === '$') return { text: '$', advance: 1 };
  if (first === '(') {
    const close = rest.indexOf(')', 1);
    // An unclosed reference is written as is; scanning resumes after the "(".
    if (close < 0) return { text: '$(', advance: 1 };
    const name = rest.slice(1, close);
    return { text: lookup(name) ?? `$(${name})`, advance: close + 1 };
  }
  return { text: `$${first}`, advance: 1 };
}

/** A lookup over maps tried in order (kubelet's MappingFuncFor). */
export function lookupIn(...maps: ReadonlyMap<string, string>[]): VariableLookup {
  return (name) => {
    for (const map of maps) {
      const value = map.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

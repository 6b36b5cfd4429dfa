import { stringifyJson } from '../../json/index.js';

/**
 * A value from a request body as a message shows it. The body is untrusted and may not be
 * validated yet: `String(value)` throws on an object whose `toString` is not a function (JSON
 * and YAML can make one) and would turn a client's mistake into a 500. Strings are shown as they
 * are, anything else as JSON, cut to `maxChars`.
 */
export function shownValue(value: unknown, maxChars = 200): string {
  if (typeof value === 'string') return value;
  let text: string | undefined;
  try {
    text = stringifyJson(value) as string | undefined;
  } catch (err) {
    text = `<${err instanceof Error ? err.name : 'unprintable'} value>`; // a BigInt or a cycle: no JSON body makes one
  }
  text ??= String(typeof value); // undefined, a function, a symbol
  return text.length > maxChars ? `${text.slice(0, maxChars)}...` : text;
}

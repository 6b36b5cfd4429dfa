/**
 * Key ordering and prefix ranges. SQLite compares TEXT with the BINARY collation, which is UTF-8
 * byte order (= code point order). JavaScript's `<` compares UTF-16 code units, which differs for
 * astral characters, so the memory backend sorts with compareKeys to list in exactly the same
 * order as SQLite.
 */

/** Code point order of two strings (the same as UTF-8 byte order). */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return codeUnitRank(ca) - codeUnitRank(cb);
  }
  return a.length - b.length;
}

/** Surrogates (astral code points) rank above U+E000..U+FFFF in code point order. */
function codeUnitRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * The smallest string greater than every string that starts with `prefix`, or undefined when
 * there is none (empty prefix). Lets a prefix scan be a range scan on the (name, id) index:
 * `name >= prefix AND name < upper`.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop();
    const code = last === undefined ? undefined : last.codePointAt(0);
    if (code === undefined) continue;
    let next = code + 1;
    if (next === 0xd800) next = 0xe000; // skip the surrogate range, which is not a code point
    if (next <= 0x10ffff) return points.join('') + String.fromCodePoint(next);
    // U+10FFFF cannot be incremented: drop it and increment the character before.
  }
  return undefined;
}

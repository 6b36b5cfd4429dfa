/** A map entry only if the object itself holds it (never `constructor` and friends from the prototype). */
export function ownValue(map: Record<string, string> | undefined, key: string): string | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

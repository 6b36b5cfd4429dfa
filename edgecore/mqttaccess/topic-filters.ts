/**
 * MQTT topic and filter matching for the access policy (MQTT 3.1.1 § 4.7): levels are separated
 * by `/`, `+` stands for exactly one level, `#` (last, alone in its level) for the parent level
 * and any number of levels below. A policy grant is either one exact topic or a whole topic tree.
 */
export type TopicGrant = { kind: 'topic'; levels: readonly string[] } | { kind: 'tree'; levels: readonly string[] };

export function levelsOf(topic: string): string[] {
  return topic.split('/');
}

/** A topic one may publish to: not empty, no wildcard, no NUL (MQTT 3.1.1 § 4.7.3). */
export function isValidTopicName(topic: string): boolean {
  return topic !== '' && !/[+#\u0000]/.test(topic);
}

/** A subscription filter: `#` only as the last level and alone, `+` only alone in its level. */
export function isValidTopicFilter(filter: string): boolean {
  if (filter === '' || filter.includes('\u0000')) return false;
  const levels = levelsOf(filter);
  return levels.every((level, i) => {
    if (level.includes('#')) return level === '#' && i === levels.length - 1;
    return !level.includes('+') || level === '+';
  });
}

/**
 * Whether every topic a filter can match lies inside a grant. A wildcard can stand for infinitely
 * many level values, so it is covered only where the grant is a tree and the wildcard sits below
 * the tree's root; a union of grants never covers more than its widest member does.
 */
export function grantCoversFilter(grant: TopicGrant, filter: string): boolean {
  const levels = levelsOf(filter);
  const literalPrefix = levels.slice(0, grant.levels.length);
  if (literalPrefix.some((l) => l === '+' || l === '#')) return false;
  if (grant.kind === 'topic') return levels.length === grant.levels.length && grant.levels.every((l, i) => l === levels[i]);
  // `root/#` also matches `root` itself, which the tree includes.
  return levels.length >= grant.levels.length && grant.levels.every((l, i) => l === levels[i]);
}

/**
 * resolv.conf(5) as kubelet reads the host's (pkg/kubelet/network/dns parseResolvConf): every
 * `nameserver` line adds a server; the last `search` line wins (a lone "." is dropped and a
 * trailing dot trimmed, so a domain counts once); `options` accumulate, a later option replacing an
 * earlier one of the same name. Lines starting with '#' are comments.
 */
export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const result: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) continue;
    const [keyword, ...values] = trimmed.split(/\s+/).filter((field) => field !== '');
    if (keyword === 'nameserver' && values[0] !== undefined) result.nameservers.push(values[0]);
    if (keyword === 'search') result.searches = values.filter((s) => s !== '.').map((s) => (s.endsWith('.') ? s.slice(0, -1) : s));
    if (keyword === 'options') result.options = mergeOptions(result.options, values);
  }
  return result;
}

/** Option name: `ndots` of `ndots:5`. */
function optionName(option: string): string {
  const colon = option.indexOf(':');
  return colon < 0 ? option : option.slice(0, colon);
}

/** Merges options by name, later ones replacing earlier ones in place, new ones appended. */
export function mergeOptions(existing: readonly string[], added: readonly string[]): string[] {
  const byName = new Map<string, string>();
  for (const option of [...existing, ...added]) byName.set(optionName(option), option);
  return [...byName.values()];
}

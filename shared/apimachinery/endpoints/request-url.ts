/**
 * The URL of an HTTP request from its request target (`req.url`). The target of a request to a
 * server is a path (RFC 9112 § 3.2.1, origin-form), so one starting with `//` is a path with an
 * empty first segment, not a network location: `new URL('//x/y', base)` would read `x` as a host,
 * and throw on a host such as `%`. A target that is no URL even so is undefined: the caller
 * answers 400.
 */
export function requestUrl(target: string | undefined): URL | undefined {
  const path = target === undefined || target === '' ? '/' : target.startsWith('/') ? target : `/${target}`;
  try {
    return new URL(`http://request-target${path}`);
  } catch (err) {
    if (err instanceof TypeError) return undefined; // ERR_INVALID_URL
    throw err;
  }
}

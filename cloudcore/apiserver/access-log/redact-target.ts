/** Query parameters whose values are credentials: a `token=` of a websocket client, and the like. */
const SECRET_PARAMETER = /token|secret|password/i;
export const REDACTED = 'REDACTED';
/** A logged request target is cut here: a client must not make lines as long as it likes. */
const MAX_TARGET_CHARS = 2048;

/**
 * The request target (path and query) as it may be logged: the value of every query parameter
 * named like a credential replaced by REDACTED (docs/logging.md § Access log); the rest kept as
 * the client sent it. Bearer tokens travel in a header, which is never logged.
 */
export function redactTarget(target: string | undefined): string {
  const raw = target === undefined || target === '' ? '/' : target;
  const cut = raw.length > MAX_TARGET_CHARS ? `${raw.slice(0, MAX_TARGET_CHARS)}…` : raw;
  const queryAt = cut.indexOf('?');
  if (queryAt < 0) return cut;
  const pairs = cut.slice(queryAt + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    return SECRET_PARAMETER.test(decodeName(name)) ? `${name}=${REDACTED}` : pair;
  });
  return `${cut.slice(0, queryAt)}?${pairs.join('&')}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch (err) {
    if (err instanceof URIError) return name; // malformed escapes: the name as sent
    throw err;
  }
}

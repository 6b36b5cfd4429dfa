/**
 * Boolean query parameters, read as kube-apiserver reads every one of them (docs/kubectl.md
 * § Query parameters). Its parameter codec converts a query value into a bool field of
 * ListOptions, PodLogOptions, PodExecOptions, DeleteOptions … with one function
 * (runtime.Convert_Slice_string_To_bool): an absent parameter is false, "0" and "false" in any
 * case are false, and every other value — "True", "1", "t", even an empty value — is true. So a
 * boolean parameter never fails: the Python client's `watch=True` and `stdin=False` mean what
 * they say.
 */
export function queryBool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && boolParamValue(value);
}

/** The value of one present boolean parameter (see queryBool). */
export function boolParamValue(value: string): boolean {
  return !(value === '0' || value.toLowerCase() === 'false');
}


/** Go's strconv.ParseBool spellings of true. */
const PARSE_BOOL_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/**
 * Whether to indent a JSON answer, as kube-apiserver's isPrettyPrint decides: `pretty` read with
 * strconv.ParseBool (its error ignored: any other value is false), else true for curl, Wget and
 * browsers (a User-Agent starting with `Mozilla/5.0`).
 */
export function wantsPretty(query: URLSearchParams, userAgent: string | undefined): boolean {
  const value = query.get('pretty');
  if (value !== null && value !== '') return PARSE_BOOL_TRUE.has(value);
  const agent = userAgent ?? '';
  return agent.startsWith('curl') || agent.startsWith('Wget') || agent.startsWith('Mozilla/5.0');
}

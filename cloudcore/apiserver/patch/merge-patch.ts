/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`): objects merge recursively, `null`
 * deletes a key, anything else (arrays included) replaces. kubectl sends it for `label`,
 * `annotate`, `scale` and for client-side apply of custom resources.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import { cloneJson, hasKey, setKey, type JsonRecord } from './json-values.js';

export function applyMergePatch(doc: unknown, patchBody: unknown): Result<unknown> {
  // RFC 7386 allows any JSON value as a patch, but a Kubernetes object patch must be an object;
  // the API server rejects anything else as a bad request.
  if (!isRecord(patchBody)) return fail('BadRequest', 'invalid merge patch: the body must be a JSON object');
  // The result shares nothing with the inputs: callers default and validate it in place.
  return ok(mergeValue(cloneJson(doc), patchBody));
}

/**
 * RFC 7386 section 2, MergePatch(Target, Patch). `target` is owned by the caller and may be
 * reused in the result; `patch` is only read (its values are copied). The walk keeps its own
 * stack, so a patch nested as deep as the API accepts never overflows Node's (docs/limits.md
 * § API, "Nesting depth").
 */
export function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return cloneJson(patch);
  const root: JsonRecord = isRecord(target) ? target : {};
  const stack: { result: JsonRecord; patch: JsonRecord }[] = [{ result: root, patch }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { result } = top;
    for (const [key, value] of Object.entries(top.patch)) {
      if (value === null) {
        delete result[key];
      } else if (!isRecord(value)) {
        setKey(result, key, cloneJson(value));
      } else {
        const existing = hasKey(result, key) ? result[key] : undefined;
        const child: JsonRecord = isRecord(existing) ? existing : {};
        setKey(result, key, child);
        stack.push({ result: child, patch: value });
      }
    }
  }
  return root;
}

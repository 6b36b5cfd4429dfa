/**
 * The three PATCH body types of the Kubernetes API. Each takes the current object and the parsed
 * JSON body, never mutates either, and returns the patched object or a failure with a code:
 * BadRequest for a malformed body, Invalid when a JSON patch operation does not apply or a `test`
 * fails (the apiserver's patch handler answers both 422), RequestEntityTooLarge past 10000 JSON
 * patch operations.
 */
export { applyJsonPatch } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';

/**
 * The size limit on what a JSON patch's `copy` operations may copy in total (docs/limits.md §
 * API, "JSON patch copies"), as the json-patch library's AccumulatedCopySizeLimit: each copy can
 * double the document, so 30 copies of a small body would need gigabytes.
 */
export const MAX_ACCUMULATED_COPY_BYTES = 3 * 1024 * 1024;

/**
 * About the size of `value` as JSON, in bytes (string lengths plus a little per node), counted
 * without recursion and only until it passes `limit`.
 */
export function jsonSizeUpTo(value: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  for (let node = stack.pop(); ; node = stack.pop()) {
    if (typeof node === 'string') size += node.length + 2;
    else if (Array.isArray(node)) {
      size += 2;
      for (const item of node) stack.push(item);
    } else if (node !== null && typeof node === 'object') {
      size += 2;
      for (const [key, item] of Object.entries(node)) {
        size += key.length + 4;
        stack.push(item);
      }
    } else size += 5; // numbers, booleans, null
    if (size > limit || stack.length === 0) return size;
  }
}

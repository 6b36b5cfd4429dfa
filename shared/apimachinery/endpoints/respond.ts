import type { ServerResponse } from 'node:http';
import { ApiError, HiddenInternalError } from '../errors/status.js';
import { stringifyJson } from '../../json/index.js';

/** Responses to indent (`?pretty=true`, curl: bool-param.ts wantsPretty), marked once per request. */
const prettyResponses = new WeakSet<ServerResponse>();

export function markPretty(res: ServerResponse): void {
  prettyResponses.add(res);
}

/** The text indented by two spaces, as Go's json.MarshalIndent; as it is when too deep to re-indent. */
function indented(res: ServerResponse, text: string): string {
  if (!prettyResponses.has(res)) return text;
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch (err) {
    // Nesting past what V8's recursive JSON reaches (docs/limits.md § API, "Nesting depth"): compact is still correct.
    if (err instanceof RangeError) return text;
    throw err;
  }
}

export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = indented(res, stringifyJson(body));
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Writes a pre-serialized JSON body (hot paths build their text without a second stringify). */
export function writeJsonText(res: ServerResponse, code: number, text: string): void {
  const body = indented(res, text);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Writes the error's Status; anything but an ApiError is a generic 500 whose detail is never sent. */
export function writeError(res: ServerResponse, err: unknown): void {
  const apiError = err instanceof ApiError ? err : new HiddenInternalError(err instanceof Error ? err.message : String(err));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeJson(res, apiError.code, apiError.status);
}

/** The most text of one warning, and the most bytes of all of a response's warnings (docs/limits.md § Fuzzing). */
export const MAX_WARNING_CHARS = 256;
export const MAX_WARNINGS_BYTES = 4096;

/**
 * Adds a `Warning` header (RFC 7234 form Kubernetes uses: `299 - "text"`), which kubectl prints.
 * A header value may carry only printable ASCII here (Node refuses the rest, and an echoed field
 * name can hold anything), so other characters are escaped `\uXXXX`; each text is cut to 256
 * characters and the warnings to 4 KiB, so that no client's header limit is hit.
 */
export function addWarning(res: ServerResponse, text: string): void {
  const cut = text.length > MAX_WARNING_CHARS ? `${text.slice(0, MAX_WARNING_CHARS)}...` : text;
  const value = `299 - ${JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`;
  const existing = res.getHeader('Warning');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  if (list.reduce((sum, v) => sum + v.length, 0) + value.length > MAX_WARNINGS_BYTES) return;
  res.setHeader('Warning', [...list, value]);
}

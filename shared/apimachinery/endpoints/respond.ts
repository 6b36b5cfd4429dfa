import type { ServerResponse } from 'node:http';
import { ApiError, HiddenInternalError } from '../errors/status.js';
import { stringifyJson } from '../../json/index.js';

export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = stringifyJson(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Writes a pre-serialized JSON body (hot paths build their text without a second stringify). */
export function writeJsonText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
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

/** Adds a `Warning` header (RFC 7234 form Kubernetes uses: `299 - "text"`), which kubectl prints. */
export function addWarning(res: ServerResponse, text: string): void {
  const value = `299 - ${JSON.stringify(text)}`;
  const existing = res.getHeader('Warning');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('Warning', [...list, value]);
}

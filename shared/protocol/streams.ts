import { z } from 'zod';

/**
 * Streams over the node's websocket (docs/protocol.md R26–R31, since 1.3): `kubectl logs` (and
 * later exec) reach the edge as streams multiplexed over the one session, with per-stream
 * credit-based flow control in the manner of HTTP/2 and K3s' tunnel. Streams are not durable:
 * they are never acked, resent or stored, and they die with the session.
 */
const shortText = z.string().min(1).max(253);

/** Chosen by the cloud, unique within its session. */
export const streamId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** The most a single streamData frame carries, in raw bytes (R28). */
export const MAX_STREAM_CHUNK_BYTES = 32 * 1024;
/** The largest initial window or grant a peer may give (R28). */
export const MAX_STREAM_WINDOW_BYTES = 16 * 1024 * 1024;

/** PodLogOptions as the API took them, resolved to one container of one pod instance (R27). */
export const logsRequest = z.strictObject({
  type: z.literal('logs'),
  namespace: shortText,
  name: shortText,
  uid: z.string().min(1).max(128),
  container: shortText,
  follow: z.boolean(),
  previous: z.boolean(),
  timestamps: z.boolean(),
  tailLines: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  /** Only lines newer than this many seconds, by the edge's own clock (the log's timestamps are its own). */
  sinceSeconds: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  /** Only lines at or after this time (RFC 3339). */
  sinceTime: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/).optional(),
  limitBytes: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});

export const streamRequest = z.discriminatedUnion('type', [logsRequest]);

export const streamOpenContent = z.strictObject({
  kind: z.literal('streamOpen'),
  streamId,
  request: streamRequest,
  /** Bytes the edge may send before it hears a streamWindow (R28). */
  window: z.number().int().positive().max(MAX_STREAM_WINDOW_BYTES),
});

/**
 * Bytes of a stream, edge → cloud (R28). `utf8` carries the bytes as text when they are valid
 * UTF-8, `base64` otherwise. An empty chunk is the edge's "accepted" (R27).
 */
export const streamDataContent = z.strictObject({
  kind: z.literal('streamData'),
  streamId,
  encoding: z.enum(['utf8', 'base64']),
  // 32 KiB of raw bytes is at most 32 Ki characters as utf8 and 43,692 as base64.
  data: z.string().max(44 * 1024),
});

/** More credit for a stream, cloud → edge, as the HTTP response drains (R28). */
export const streamWindowContent = z.strictObject({
  kind: z.literal('streamWindow'),
  streamId,
  bytes: z.number().int().positive().max(MAX_STREAM_WINDOW_BYTES),
});

/** The end of a stream, either way (R29); with an error, the request failed or was cut off. */
export const streamCloseContent = z.strictObject({
  kind: z.literal('streamClose'),
  streamId,
  error: z.strictObject({ code: z.string().min(1).max(64), message: z.string().max(4096) }).optional(),
});

export type StreamRequest = z.infer<typeof streamRequest>;
export type LogsRequest = z.infer<typeof logsRequest>;
export type StreamError = NonNullable<z.infer<typeof streamCloseContent>['error']>;

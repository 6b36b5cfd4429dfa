import { z } from 'zod';

/**
 * Streams over the node's websocket (docs/protocol.md R26–R31, since 1.3): `kubectl logs` and
 * `kubectl exec` (R32) reach the edge as streams multiplexed over the one session, with per-stream
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

/**
 * `kubectl exec` (since 1.3, additive): run `command` in one running container of one pod instance,
 * with the channels the client asked for (Kubernetes' PodExecOptions). Input (stdin, resize)
 * flows cloud → edge, output (stdout, stderr) edge → cloud; the close carries the exit code.
 */
export const execRequest = z.strictObject({
  type: z.literal('exec'),
  namespace: shortText,
  name: shortText,
  uid: z.string().min(1).max(128),
  container: shortText,
  command: z.array(z.string().max(64 * 1024)).min(1).max(1024),
  stdin: z.boolean(),
  stdout: z.boolean(),
  stderr: z.boolean(),
  tty: z.boolean(),
});

/**
 * `kubectl attach` (R43, additive): connect to the stdio of the running process of one container
 * of one pod instance, with the channels the client asked for (Kubernetes' PodAttachOptions).
 * `tty` is the container's own (its spec's `tty`), since a process's terminal cannot change
 * after it started; the channels flow as for exec, and the close carries exit code 0.
 */
export const attachRequest = z.strictObject({
  type: z.literal('attach'),
  namespace: shortText,
  name: shortText,
  uid: z.string().min(1).max(128),
  container: shortText,
  stdin: z.boolean(),
  stdout: z.boolean(),
  stderr: z.boolean(),
  tty: z.boolean(),
});

/**
 * `kubectl port-forward` (R44, protocol 1.6): one client connection to `port` of one pod
 * instance. The client's bytes flow cloud → edge on the `stdin` channel (its half-close is the
 * `eof`), the pod's bytes edge → cloud on `stdout`; the close carries why the connection failed.
 */
export const portForwardRequest = z.strictObject({
  type: z.literal('portforward'),
  namespace: shortText,
  name: shortText,
  uid: z.string().min(1).max(128),
  port: z.number().int().min(1).max(65535),
});

export const streamRequest = z.discriminatedUnion('type', [logsRequest, execRequest, attachRequest, portForwardRequest]);

/**
 * Which of a stream's byte channels a streamData belongs to (exec, R32; attach, R43): `stdin` and `resize`
 * (a JSON {Width, Height}) go cloud → edge, `stdout` and `stderr` edge → cloud. Logs carry none.
 */
export const streamChannel = z.enum(['stdin', 'stdout', 'stderr', 'resize']);

export const streamOpenContent = z.strictObject({
  kind: z.literal('streamOpen'),
  streamId,
  request: streamRequest,
  /** Bytes the edge may send before it hears a streamWindow (R28). */
  window: z.number().int().positive().max(MAX_STREAM_WINDOW_BYTES),
});

/**
 * Bytes of a stream, edge → cloud (R28), and for exec also cloud → edge (R32). `utf8` carries the bytes as text when they are valid
 * UTF-8, `base64` otherwise. An empty chunk is the edge's "accepted" (R27).
 */
export const streamDataContent = z.strictObject({
  kind: z.literal('streamData'),
  streamId,
  encoding: z.enum(['utf8', 'base64']),
  // 32 KiB of raw bytes is at most 32 Ki characters as utf8 and 43,692 as base64.
  data: z.string().max(44 * 1024),
  /** The channel of an exec stream (R32); absent for logs. */
  channel: streamChannel.optional(),
  /** The sender closed this channel (the exec client's stdin reached its end, R32). */
  eof: z.literal(true).optional(),
});

/** More credit for a stream, as the receiver consumes (R28): cloud → edge, and edge → cloud for exec input (R32). */
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
  /** The exit code of an exec'd command that ran to its end (R32). */
  exitCode: z.number().int().min(-2147483648).max(2147483647).optional(),
});

export type StreamRequest = z.infer<typeof streamRequest>;
export type LogsRequest = z.infer<typeof logsRequest>;
export type ExecRequest = z.infer<typeof execRequest>;
export type AttachRequest = z.infer<typeof attachRequest>;
export type PortForwardRequest = z.infer<typeof portForwardRequest>;
export type StreamChannel = z.infer<typeof streamChannel>;
export type StreamError = NonNullable<z.infer<typeof streamCloseContent>['error']>;

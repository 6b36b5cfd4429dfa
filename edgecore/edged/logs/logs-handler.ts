/**
 * Serves `kubectl logs` on the edge: a logs stream request (protocol.md R27) is answered from the
 * container's CRI log file, through the sink the hub gives, as kubelet's GetContainerLogs does.
 * Steps: find the container, open its log, pick the start (--tail), accept, then copy lines
 * (--timestamps, --since, --limit-bytes) at the pace the stream's window allows, following if asked.
 */
import { open, stat } from 'node:fs/promises';
import { errorMessage } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logging.js';
import type { LogsRequest, StreamError } from '../../../shared/protocol/index.js';
import type { CriClient } from '../cri/index.js';
import { parseCriLogLine, rfc3339ToNanos } from './cri-log-line.js';
import { findLogContainer, type LogContainer } from './find-log-container.js';
import { readLogLines } from './log-lines.js';
import { LogOutput } from './log-output.js';
import { tailOffset } from './tail-offset.js';

/** The stream end a handler writes to (edgehub's StreamSink). */
export interface LogSink {
  readonly signal: AbortSignal;
  accept(): void;
  write(bytes: Buffer): Promise<boolean>;
  end(error?: StreamError): void;
}

export interface LogsHandlerOptions {
  cri: CriClient;
  logger: Logger;
  /** The longest a follower waits without a change notification (default 1 s). */
  pollMs?: number;
  now?: () => number;
}

export type LogsHandler = (request: LogsRequest, sink: LogSink) => void;

/** Output is sent in pieces of about this size: one frame each (R28). */
const FLUSH_BYTES = 32 * 1024;

export function createLogsHandler(options: LogsHandlerOptions): LogsHandler {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 1000;
  let watchWarned = false;

  async function serve(request: LogsRequest, sink: LogSink): Promise<StreamError | undefined> {
    const found = await findLogContainer(options.cri, request);
    if (!found.ok) return { code: found.code, message: found.message };
    const container = found.value;
    const start = await startOffset(container, request);
    if ('code' in start) return start;
    const output = new LogOutput({ timestamps: request.timestamps, ...sinceOf(request, now), ...(request.limitBytes !== undefined ? { limitBytes: request.limitBytes } : {}) });
    sink.accept();
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const lines = readLogLines(container.logPath, start.offset, {
      follow: request.follow,
      signal: sink.signal,
      pollMs,
      stillRunning: () => isRunning(options.cri, container.id),
      onWatchFailed: (reason) => {
        if (!watchWarned) options.logger.warn({ reason }, 'log folders cannot be watched; following by polling');
        watchWarned = true;
      },
    });
    for await (const batch of lines) {
      for (const raw of batch) {
        const line = parseCriLogLine(raw);
        // kubelet skips a line it cannot parse, too; the rest of the log is still worth reading.
        if (line === undefined) continue;
        for (const part of output.take(line)) {
          pending.push(part);
          pendingBytes += part.length;
        }
        if (pendingBytes >= FLUSH_BYTES) {
          if (!(await sink.write(Buffer.concat(pending)))) return undefined;
          pending = [];
          pendingBytes = 0;
        }
      }
      if (pendingBytes > 0) {
        if (!(await sink.write(Buffer.concat(pending)))) return undefined;
        pending = [];
        pendingBytes = 0;
      }
      if (output.full) break;
    }
    return undefined;
  }

  return (request, sink) => {
    serve(request, sink).then(
      (error) => sink.end(error),
      (err: unknown) => {
        options.logger.warn({ err: errorMessage(err), pod: `${request.namespace}/${request.name}`, container: request.container }, 'reading a container log failed');
        sink.end({ code: 'Internal', message: `reading the log of container "${request.container}" in pod "${request.name}": ${errorMessage(err)}` });
      },
    );
  };
}

/** Where reading starts: the whole file, or its last `tailLines` lines. */
async function startOffset(container: LogContainer, request: LogsRequest): Promise<{ offset: number } | StreamError> {
  try {
    const size = (await stat(container.logPath)).size;
    if (request.tailLines === undefined) return { offset: 0 };
    const file = await open(container.logPath, 'r');
    try {
      return { offset: await tailOffset(file, size, request.tailLines) };
    } finally {
      await file.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { code: 'NotFound', message: `the log file of container "${request.container}" in pod "${request.name}" is gone (${container.logPath})` };
    throw err;
  }
}

function sinceOf(request: LogsRequest, now: () => number): { sinceNanos?: bigint } {
  if (request.sinceSeconds !== undefined) return { sinceNanos: BigInt(now() - request.sinceSeconds * 1000) * 1_000_000n };
  if (request.sinceTime !== undefined) {
    const nanos = rfc3339ToNanos(request.sinceTime);
    if (nanos !== undefined) return { sinceNanos: nanos };
  }
  return {};
}

async function isRunning(cri: CriClient, id: string): Promise<boolean> {
  const status = await cri.containerStatus(id);
  if (!status.ok) return status.code !== 'NotFound';
  return status.value.status.state === 'CONTAINER_RUNNING';
}

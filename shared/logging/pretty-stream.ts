import pinoPretty from 'pino-pretty';
import type { DestinationStream } from 'pino';

/** Keys shown at the start of a pretty line, so they are left out of the fields after it. */
const HEADER_KEYS = ['pid', 'hostname', 'component', 'module'];

/**
 * `component module: message`: which process part said it. In `outpost up` the cloud and the
 * edges share one process, and the component (cloudcore, edgecore/edge-1) tells them apart.
 */
export function prettyMessage(log: Record<string, unknown>, messageKey: string): string {
  const where = [log.component, log.module].filter((part): part is string => typeof part === 'string' && part !== '').join(' ');
  const message = typeof log[messageKey] === 'string' ? log[messageKey] : '';
  return where === '' ? message : `${where}: ${message}`;
}

/**
 * pino-pretty as a synchronous stream in this process (no worker thread: a line is out before
 * the process exits): time, level, component and module, message, then the other fields on the
 * same line. Colours only when the destination is a terminal.
 */
export function prettyStream(options: { colorize: boolean; destination?: DestinationStream | NodeJS.WritableStream }): DestinationStream {
  return pinoPretty({
    colorize: options.colorize,
    sync: true,
    destination: options.destination ?? 1,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: HEADER_KEYS.join(','),
    messageFormat: prettyMessage,
    singleLine: true,
    // pino-pretty shows a `name` field as a logger's name, "(x)"; ours is an object's name.
    customPrettifiers: { name: (value) => `name=${String(value)}` },
  });
}

import { pino, type DestinationStream, type Logger } from 'pino';
import { chooseLogFormat, type LogFormat } from './logging/log-format.js';
import { prettyStream } from './logging/pretty-stream.js';
import { dedupeChildBindings, logMethodWithoutBoundKeys } from './logging/unique-keys.js';

export type { Logger };
export { chooseLogFormat, LOG_FORMATS, LOG_FORMAT_ENV, logFormatSchema, type LogFormat } from './logging/log-format.js';

export interface LogOptions {
  level?: string;
  /** Process role: the binary, and for an edge agent its node name; goes into every line. */
  component: string;
  /** `--log-format` (docs/logging.md § Formats); auto when absent. */
  format?: LogFormat;
  /** Where lines go; stdout by default, as always. Tests pass a stream. */
  destination?: DestinationStream;
  /** Whether the destination is a terminal (pretty and coloured under auto); stdout's when absent. */
  isTerminal?: boolean;
}

/** One pino root logger per process; modules take a child with their own name. */
export function createLogger(options: LogOptions): Logger {
  const isTerminal = options.isTerminal ?? (options.destination === undefined && process.stdout.isTTY === true);
  const format = chooseLogFormat(options.format, process.env, isTerminal);
  const settings = {
    level: options.level ?? process.env.OUTPOST_LOG_LEVEL ?? 'info',
    base: { component: options.component },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Each key once per line, whatever children and call sites add (docs/logging.md § One key, one value).
    onChild: dedupeChildBindings,
    hooks: { logMethod: logMethodWithoutBoundKeys },
  };
  if (format === 'pretty') return pino(settings, prettyStream({ colorize: isTerminal, ...(options.destination === undefined ? {} : { destination: options.destination }) }));
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

/** A logger that drops everything: for unit tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

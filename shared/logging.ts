import { pino, type Logger } from 'pino';

export type { Logger };

export interface LogOptions {
  level?: string;
  /** Process role: the binary, and for an edge agent its node name; goes into every line. */
  component: string;
}

/** One pino root logger per process; modules take a child with their own name. */
export function createLogger(options: LogOptions): Logger {
  return pino({
    level: options.level ?? process.env.OUTPOST_LOG_LEVEL ?? 'info',
    base: { component: options.component },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** A logger that drops everything: for unit tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

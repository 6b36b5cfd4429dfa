import { z } from 'zod';

/** `--log-format`: readable lines, one JSON object per line, or the choice made by where logs go. */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export const logFormatSchema = z.enum(LOG_FORMATS);
export type LogFormat = z.infer<typeof logFormatSchema>;

/** The environment variable read when the flag and config leave the format at `auto`. */
export const LOG_FORMAT_ENV = 'OUTPOST_LOG_FORMAT';

/**
 * The format lines are written in (docs/logging.md § Formats): an explicit `pretty` or `json`
 * wins; `auto` takes OUTPOST_LOG_FORMAT when it names one, else pretty on a terminal and JSON
 * otherwise, so pipes, files, journald and the tests that parse log lines get JSON.
 */
export function chooseLogFormat(format: LogFormat | undefined, env: Record<string, string | undefined>, isTerminal: boolean): 'pretty' | 'json' {
  if (format === 'pretty' || format === 'json') return format;
  const fromEnv = logFormatSchema.safeParse(env[LOG_FORMAT_ENV]?.trim().toLowerCase());
  if (fromEnv.success && fromEnv.data !== 'auto') return fromEnv.data;
  return isTerminal ? 'pretty' : 'json';
}

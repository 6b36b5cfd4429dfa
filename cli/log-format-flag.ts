import { InvalidArgumentError } from 'commander';
import { LOG_FORMATS, logFormatSchema, type LogFormat } from '../shared/logging.js';

export const LOG_FORMAT_HELP = 'pretty|json|auto: readable lines, or one JSON object per line; auto (default) is pretty on a terminal, else JSON (or OUTPOST_LOG_FORMAT)';

/** `--log-format` (docs/logging.md § Formats). */
export function parseLogFormat(value: string): LogFormat {
  const parsed = logFormatSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`must be one of ${LOG_FORMATS.join(', ')}`);
  return parsed.data;
}

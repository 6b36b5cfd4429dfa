/**
 * Where `outpost up` sends the log lines of its cloud, edges and mapper: stderr, through
 * process.stderr.write, which ora hooks while its spinner turns (so a log line clears the spinner
 * line first instead of garbling it), beside the progress and summary on stdout.
 */
import { Writable } from 'node:stream';
import type { UpLogTo } from './start-hub.js';

export function stderrLogTo(): UpLogTo {
  const lines = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      process.stderr.write(chunk, (err) => callback(err ?? null));
    },
  });
  // Every logger of the process (one per module, about twenty) pipes its pretty stream into this
  // one: their close/finish/error listeners are expected, not a leak.
  lines.setMaxListeners(0);
  return { destination: lines, isTerminal: process.stderr.isTTY === true };
}

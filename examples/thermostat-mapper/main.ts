/**
 * The thermostat mapper's entry point (docs/edges.md § The example mapper):
 * `node dist/examples/thermostat-mapper/main.js --device default/thermostat-1 --broker mqtt://127.0.0.1:1883 --username U --password-file F`.
 * SIGINT or SIGTERM disconnects cleanly.
 */
import { parseOptions } from './options.js';
import { runMapper } from './run-mapper.js';

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`);
    return 2;
  }
  const stop = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => stop.abort());
  await runMapper(parsed.options, stop.signal);
  return 0;
}

process.exitCode = await main();

/**
 * `outpost status`: one screen of the hub through the API (docs/status.md): nodes with their link
 * (Ready, which cloudcore, last seen, outbox depth), pods per node, devices with their twin sync
 * state, and the cloud's own health. `-w` refreshes it; `-o json` is for scripts.
 */
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../certs/index.js';
import { OutpostError } from '../shared/errors.js';
import { adminKubeconfigPath, openAdminApi } from './admin-api-client.js';
import { gatherStatus, showStatus, type StatusFormat } from './status/index.js';

interface StatusFlags {
  dataDir?: string;
  kubeconfig?: string;
  watch?: boolean;
  interval: number;
  output: StatusFormat;
}

/** Whole seconds, at least 1: `2s`, `1m`, or a bare number of seconds. */
function intervalSeconds(value: string): number {
  const parsed = /^\d+$/.test(value) ? { ok: true as const, value: Number(value) } : parseDuration(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  if (parsed.value < 1) throw new InvalidArgumentError('must be at least 1s');
  return parsed.value;
}

export async function runStatus(flags: StatusFlags): Promise<void> {
  const dataDir = flags.dataDir ?? '.outpost';
  if (flags.kubeconfig === undefined && !existsSync(dataDir)) {
    throw new OutpostError('NotFound', `data directory ${dataDir} does not exist: pass the cloud's --data-dir, or --kubeconfig with a kubeconfig for the cloud`);
  }
  const api = await openAdminApi(flags.kubeconfig ?? adminKubeconfigPath(dataDir));
  const out = { write: (text: string) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true };
  if (flags.watch !== true) {
    const snapshot = await showStatus({ gather: () => gatherStatus(api), out, format: flags.output });
    // The screen says so too; the exit code is for scripts.
    if (snapshot.cloud.readyz.state === 'unreachable') throw new OutpostError('Unavailable', snapshot.cloud.readyz.message ?? `the cloud API at ${api.server} is not answering`);
    return;
  }
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await showStatus({ gather: () => gatherStatus(api), out, format: flags.output, watch: { intervalMs: flags.interval * 1000, signal: abort.signal } });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export function statusCommand(): Command {
  return new Command('status')
    .description('show nodes (ready, cloudcore, last seen, outbox), pods per node, devices and the cloud\'s health')
    .option('--data-dir <dir>', 'the cloud data directory whose admin.kubeconfig to use (default .outpost)')
    .option('--kubeconfig <file>', 'a kubeconfig with a client certificate for the cloud (overrides --data-dir)')
    .option('-w, --watch', 'refresh until Ctrl-C: redrawn on a terminal, a new block each time otherwise')
    .addOption(new Option('--interval <duration>', 'how often -w refreshes (e.g. 2s, 1m)').argParser(intervalSeconds).default(2, '2s'))
    .addOption(new Option('-o, --output <format>', 'text, or json for scripts (one document per refresh)').choices(['text', 'json']).default('text'))
    .action(async (flags: StatusFlags) => {
      await runStatus(flags);
    });
}

#!/usr/bin/env node
import { Command } from 'commander';
import { isOutpostError } from '../shared/errors.js';

/**
 * Each command's module is loaded only when that command runs: `outpost edge` on a small machine
 * never loads cloudcore's code (about 25 MiB of RSS), and `--help` still lists every command.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  up: async () => (await import('./up-command.js')).upCommand(),
  cloud: async () => (await import('./cloud-command.js')).cloudCommand(),
  edge: async () => (await import('./edge-command.js')).edgeCommand(),
  token: async () => (await import('./token-command.js')).tokenCommand(),
  kubeconfig: async () => (await import('./kubeconfig-command.js')).kubeconfigCommand(),
  status: async () => (await import('./status-command.js')).statusCommand(),
  join: async () => (await import('./join-command.js')).joinCommand(),
  image: async () => (await import('./image-command.js')).imageCommand(),
  reset: async () => (await import('./reset-command.js')).resetCommand(),
  service: async () => (await import('./service-command.js')).serviceCommand(),
};

async function main(): Promise<void> {
  const program = new Command();
  program.name('outpost').description('Outpost: an edge orchestration hub').version('0.1.0');
  const wanted = process.argv[2];
  const names = wanted !== undefined && wanted in COMMANDS ? [wanted] : Object.keys(COMMANDS);
  for (const name of names) {
    const build = COMMANDS[name];
    if (build !== undefined) program.addCommand(await build());
  }
  await program.parseAsync();
}

main().catch((err: unknown) => {
  if (isOutpostError(err)) console.error(`outpost: ${err.message}`);
  else console.error(err);
  process.exit(1);
});

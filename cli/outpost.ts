#!/usr/bin/env node
import { Command } from 'commander';
import { isOutpostError } from '../shared/errors.js';
import { cloudCommand } from './cloud-command.js';
import { edgeCommand } from './edge-command.js';
import { upCommand } from './up-command.js';
import { joinCommand } from './join-command.js';
import { tokenCommand } from './token-command.js';

const program = new Command();
program.name('outpost').description('Outpost: an edge orchestration hub').version('0.1.0');
program.addCommand(upCommand());
program.addCommand(cloudCommand());
program.addCommand(edgeCommand());
program.addCommand(tokenCommand());
program.addCommand(joinCommand());

program.parseAsync().catch((err: unknown) => {
  if (isOutpostError(err)) console.error(`outpost: ${err.message}`);
  else console.error(err);
  process.exit(1);
});

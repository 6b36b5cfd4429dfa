#!/usr/bin/env node
import { Command } from 'commander';

const program = new Command();
program.name('outpost').description('Outpost: an edge orchestration hub').version('0.1.0');
program.parse();

#!/usr/bin/env node
// tsc writes files without the exec bit: the CLI gets it back after each build, so that
// dist/cli/outpost.js runs by its shebang from a clone as it does from `npm install -g`.
import { chmodSync } from 'node:fs';

chmodSync(new URL('../dist/cli/outpost.js', import.meta.url), 0o755);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runStoreContract } from '../../test/contracts/storage/store-contract.js';
import { createMemoryStore } from './memory-store.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'outpost-store-contract-'));
let counter = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('memory', () => createMemoryStore());
runStoreContract('sqlite', () => createSqliteStore({ file: join(dir, `state-${++counter}.db`) }));

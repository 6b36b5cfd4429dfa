import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { startEdge, writeEdgeConfig, type EdgeProcess } from '../helpers/edge-process.js';
import { bootstrapServer, cloudEndpoints, createToken, edgePki, outpost } from '../helpers/join.js';
import { tempDir } from '../helpers/paths.js';

/**
 * With real processes: state.db and edge.db (it caches secrets) and their -wal/-shm files are
 * 0600 (docs/limits.md § Files), and a join token can come from a file or the environment instead
 * of the command line, where `ps` shows it (docs/limits.md § Join).
 */
let cloud: CloudProcess;
let edge: EdgeProcess | undefined;

beforeAll(async () => {
  cloud = await startCloud();
});
afterAll(async () => {
  await edge?.stop();
  await cloud?.stop();
});

const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe('private database files', () => {
  it('creates state.db and its -wal and -shm 0600', async () => {
    const db = join(cloud.dataDir, 'cloud', 'state.db');
    expect((await outpost(['token', 'create', '--data-dir', cloud.dataDir])).code).toBe(0); // a write, so the WAL exists
    for (const file of [db, `${db}-wal`, `${db}-shm`]) expect({ file, mode: modeOf(file) }).toEqual({ file, mode: 0o600 });
  });
});

describe('join token sources', () => {
  it('joins with --token-file, then runs an edge whose edge.db and its -wal and -shm are 0600', async () => {
    const edgeDir = tempDir('edge');
    const tokenFile = join(tempDir('token'), 'token');
    writeFileSync(tokenFile, `${await createToken(cloud.dataDir)}\n`, { mode: 0o600 });
    const joined = await outpost(['join', '--node-name', 'file-edge', '--data-dir', edgeDir, '--server', bootstrapServer(cloud.dataDir), '--token-file', tokenFile]);
    expect(joined.stderr).toBe('');
    expect(joined.code).toBe(0);
    expect(edgePki(edgeDir, 'file-edge').cert).toContain('BEGIN CERTIFICATE');

    const hub = cloudEndpoints(cloud.dataDir).hub ?? '';
    edge = await startEdge(writeEdgeConfig(edgeDir, 'file-edge', hub), edgeDir, 'file-edge');
    for (const file of [edge.dbFile, `${edge.dbFile}-wal`, `${edge.dbFile}-shm`]) expect({ file, mode: modeOf(file) }).toEqual({ file, mode: 0o600 });
  });

  it('joins with OUTPOST_TOKEN from the environment', async () => {
    const edgeDir = tempDir('edge');
    const joined = await outpost(['join', '--node-name', 'env-edge', '--data-dir', edgeDir, '--server', bootstrapServer(cloud.dataDir)], 60_000, { OUTPOST_TOKEN: await createToken(cloud.dataDir) });
    expect(joined.code).toBe(0);
    expect(edgePki(edgeDir, 'env-edge').cert).toContain('BEGIN CERTIFICATE');
  });

  it('says so in --help', async () => {
    for (const command of ['join', 'edge']) {
      const help = await outpost([command, '--help']);
      expect(help.stdout).toContain('--token-file <file>');
      expect(help.stdout).toContain('OUTPOST_TOKEN');
    }
  });
});

import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { metaGet, podFor, startMetaSetup, type MetaSetup } from '../helpers/metaserver-e2e.js';

let setup: MetaSetup | undefined;
afterEach(async () => {
  await setup?.stop();
  setup = undefined;
});

async function waitForPodInMetaServer(s: MetaSetup, name: string): Promise<void> {
  await waitFor(
    async () => (await metaGet(s.metaserver(), '/api/v1/namespaces/default/pods')).body.items.some((p) => p.metadata.name === name),
    15_000,
    () => `pod ${name} not in MetaServer\n${s.edge.output()}`,
  );
}

describe('damaged edge.db (real cloudcore and edgecore)', () => {
  it('is refused at start with a clear message; --reset-cache, or moving the files aside by hand, resyncs everything from the cloud', async () => {
    setup = await startMetaSetup();
    const s = setup;
    expect((await s.api('POST', '/api/v1/namespaces/default/pods', podFor('keep', s.node))).status).toBe(201);
    await waitForPodInMetaServer(s, 'keep');

    await s.edge.stop('SIGTERM');
    const db = s.edge.dbFile;
    writeFileSync(db, 'not a database: damaged '.repeat(500));
    const refused = await s.restartEdge().then(() => 'started', (err: unknown) => String(err));
    expect(refused).toMatch(/edge\.db is damaged/);
    expect(refused).toMatch(/outpost edge --reset-cache/);

    // The documented recovery: --reset-cache keeps a copy and starts empty; the cloud resends all.
    await s.restartEdge(['--reset-cache']);
    await waitFor(() => s.edge.endpoints()?.connection === 'connected', 15_000, () => `not connected\n${s.edge.output()}`);
    await waitForPodInMetaServer(s, 'keep');
    expect(readdirSync(dirname(db)).some((f) => /^edge\.db\.reset-.*Z$/.test(f))).toBe(true);

    // The same by hand: move edge.db and its -wal/-shm files aside, then start.
    await s.edge.stop('SIGKILL');
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${db}${suffix}`)) renameSync(`${db}${suffix}`, `${db}.manual${suffix}`);
    await s.restartEdge();
    await waitForPodInMetaServer(s, 'keep');
    const list = await metaGet(s.metaserver(), '/api/v1/namespaces/default/pods');
    expect(list.body.items.map((p) => p.metadata.name)).toEqual(['keep']);
  });
});

import { z } from 'zod';
import { hubUrlSchema, uniqueHubUrls } from '../../shared/protocol/index.js';
import { rowParser } from '../../shared/sqlite-rows.js';
import type { EdgeDatabase } from './open-edge-db.js';

const parseHubRow = rowParser('hub_addresses', z.object({ url: hubUrlSchema }));

/**
 * The hub address list as the cloud last sent it (protocol.md R45; docs/failover.md § The list
 * at the edge), in its order: read at start, replaced whole at every welcome and update.
 */
export class HubAddressTable {
  private readonly selectAll;
  private readonly clear;
  private readonly insert;

  constructor(private readonly db: EdgeDatabase) {
    this.selectAll = db.prepare<[]>('SELECT url FROM hub_addresses ORDER BY position');
    this.clear = db.prepare('DELETE FROM hub_addresses');
    this.insert = db.prepare('INSERT INTO hub_addresses (position, url, updated_at) VALUES (?, ?, ?)');
  }

  list(): string[] {
    return this.selectAll.all().map((row) => parseHubRow(row).url);
  }

  /** Replaces the list in one transaction; returns whether it differed from the stored one. */
  replace(urls: readonly string[]): boolean {
    const next = uniqueHubUrls(urls);
    const current = this.list();
    if (next.length === current.length && next.every((url, i) => url === current[i])) return false;
    const now = Date.now();
    this.db.transaction(() => {
      this.clear.run();
      next.forEach((url, i) => this.insert.run(i, url, now));
    })();
    return true;
  }
}

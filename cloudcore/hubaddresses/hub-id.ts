/**
 * A cloudcore's hub id: random once, then kept in `<data>/cloud/hub-id`, so a restarted cloudcore
 * renews its own lease rather than leaving one behind to expire (docs/failover.md § Publishing).
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutpostError } from '../../shared/errors.js';

const ID = /^[a-z0-9]{6,32}$/;

export async function ensureHubId(cloudDir: string): Promise<string> {
  const file = join(cloudDir, 'hub-id');
  let text: string | undefined;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutpostError('ConfigInvalid', `cannot read ${file}`, { cause: err });
  }
  if (text !== undefined) {
    if (!ID.test(text)) throw new OutpostError('ConfigInvalid', `${file} must hold 6–32 lower-case letters and digits; delete it to get a new id`);
    return text;
  }
  const id = randomBytes(5).toString('hex');
  await writeFile(file, `${id}\n`, { mode: 0o600, flag: 'wx' });
  return id;
}

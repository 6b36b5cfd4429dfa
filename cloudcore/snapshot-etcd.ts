import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Etcd3, type IOptions } from 'etcd3';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../shared/errors.js';
import type { CloudConfig } from './config.js';
import { parseDatastoreEndpoint, readDatastoreTls } from './storage/index.js';

export interface EtcdSnapshotSummary {
  bytes: number;
  /** The etcd revision the snapshot was taken at, from the first message that has a header ('' if none had). */
  revision: string;
  /** The member that sent it ('' if no message said). */
  memberId: string;
}

/** One message of etcd's snapshot stream, as decoded by the client; etcd 3.4 leaves the header out of most. */
const snapshotChunkSchema = z.object({
  header: z.object({ revision: z.string(), member_id: z.string() }).loose().nullish(),
  blob: z.instanceof(Buffer),
}).loose();

/**
 * `outpost cloud snapshot save` on an etcd datastore (docs/datastore.md § Snapshots on etcd):
 * etcd's own snapshot, streamed from one member through the maintenance API, byte for byte what
 * `etcdctl snapshot save` writes (the database followed by its sha256), so `etcdctl snapshot
 * status` checks it and `etcdctl snapshot restore` restores it. Written to a temporary file that
 * is renamed into place only when the stream ended cleanly, mode 0600: it holds every Secret.
 */
export async function saveEtcdSnapshot(connection: IOptions, file: string): Promise<Result<EtcdSnapshotSummary>> {
  const client = new Etcd3(connection);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const written = await streamSnapshot(client, tmp);
    if (!written.ok) {
      await rm(tmp, { force: true });
      return written;
    }
    await rename(tmp, file);
    return written;
  } finally {
    client.close();
  }
}

function streamSnapshot(client: Etcd3, tmp: string): Promise<Result<EtcdSnapshotSummary>> {
  return new Promise((resolve) => {
    const out = createWriteStream(tmp, { mode: 0o600, flush: true });
    let bytes = 0;
    let revision = '';
    let memberId = '';
    let settled = false;
    const finish = (result: Result<EtcdSnapshotSummary>): void => {
      if (settled) return;
      settled = true;
      if (!result.ok) {
        out.destroy();
        resolve(result);
        return;
      }
      out.end(() => resolve(result));
    };
    out.on('error', (err) => finish(fail('Unavailable', `writing ${tmp}: ${err.message}`)));
    client.maintenance.snapshot().then(
      (stream) => {
        stream.on('data', (message) => {
          const chunk = snapshotChunkSchema.safeParse(message);
          if (!chunk.success) {
            finish(fail('Unavailable', `etcd sent a snapshot message that is not one: ${chunk.error.message}`));
            return;
          }
          if (revision === '' && chunk.data.header) {
            revision = chunk.data.header.revision;
            memberId = chunk.data.header.member_id;
          }
          bytes += chunk.data.blob.length;
          out.write(chunk.data.blob);
        });
        stream.on('error', (err) => finish(fail('Unavailable', `etcd snapshot stream: ${errorMessage(err)}`)));
        stream.on('end', () => finish(bytes > 0 ? ok({ bytes, revision, memberId }) : fail('Unavailable', 'etcd sent an empty snapshot')));
      },
      (err: unknown) => finish(fail('Unavailable', `etcd snapshot: ${errorMessage(err)}`)),
    );
  });
}

/** The etcd client options of the config's `--datastore-endpoint` and TLS files, as the etcd Store connects. */
export async function etcdConnection(storage: CloudConfig['storage']): Promise<Result<IOptions>> {
  if (storage.datastoreEndpoint === undefined) return fail('Invalid', 'no --datastore-endpoint: this cloud keeps its state in SQLite');
  const tls = storage.datastoreCAFile === undefined ? undefined : await readDatastoreTls(storage);
  const parsed = parseDatastoreEndpoint(storage.datastoreEndpoint, tls !== undefined);
  if (!parsed.ok) return fail('ConfigInvalid', `--datastore-endpoint: ${parsed.message}`);
  return ok({
    hosts: parsed.endpoints,
    ...(tls ? { credentials: { rootCertificate: tls.ca, ...(tls.key ? { privateKey: tls.key } : {}), ...(tls.cert ? { certChain: tls.cert } : {}) } } : {}),
  });
}

/** Restoring etcd is etcd's own procedure, member by member; Outpost does not wrap it. */
export const ETCD_RESTORE_ADVICE =
  'this cloud keeps its state in etcd: restore the snapshot with etcd\'s own tool, on every member with the cluster stopped ' +
  '(`etcdctl snapshot restore FILE --name M --initial-cluster … --initial-advertise-peer-urls … --data-dir NEW`), ' +
  'then start etcd on the restored data directories and `outpost cloud --datastore-endpoint …` again';

/**
 * Where the store lives inside etcd (docs/datastore.md § Key layout). Every key sits under one
 * root prefix, so one etcd cluster can hold other data beside Outpost:
 *
 * - `<root>/data<key>`: the Store's keys, values as text;
 * - `<root>/meta/base`: written once; its create revision is the etcd revision that counts as
 *   store revision 0, so a fresh store numbers its writes from 1 like the SQLite store;
 * - `<root>/meta/compact_rev_key`: the last compaction, swapped with a compare on its version so
 *   two cloudcores never compact the same window (kube-apiserver's scheme).
 *
 * etcd orders keys by their bytes; UTF-8 byte order is code point order, the order the other
 * backends list in (cloudcore/storage/keys.ts).
 */
export interface EtcdLayout {
  root: string;
  dataPrefix: string;
  baseKey: string;
  compactKey: string;
}

export const DEFAULT_ETCD_PREFIX = '/outpost';

export function etcdLayout(prefix: string = DEFAULT_ETCD_PREFIX): EtcdLayout {
  const root = prefix.replace(/\/+$/, '');
  return {
    root,
    dataPrefix: `${root}/data`,
    baseKey: `${root}/meta/base`,
    compactKey: `${root}/meta/compact_rev_key`,
  };
}

export function dataKey(layout: EtcdLayout, key: string): Buffer {
  return Buffer.from(layout.dataPrefix + key, 'utf8');
}

/** The Store key of an etcd key under the data prefix, or undefined for any other key. */
export function storeKeyOf(layout: EtcdLayout, etcdKey: Buffer): string | undefined {
  const text = etcdKey.toString('utf8');
  return text.startsWith(layout.dataPrefix) ? text.slice(layout.dataPrefix.length) : undefined;
}

/** etcd's range end for "every key starting with these bytes" (clientv3.GetPrefixRangeEnd). */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    const byte = end[i];
    if (byte !== undefined && byte < 0xff) {
      end[i] = byte + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // every byte was 0xff: "to the end of the keyspace"
}

/** The range of Store keys under `prefix`, starting strictly after `startAfter` when given. */
export function listRange(layout: EtcdLayout, prefix: string, startAfter?: string): { key: Buffer; range_end: Buffer } {
  const from = dataKey(layout, prefix);
  const rangeEnd = prefixRangeEnd(from);
  if (startAfter === undefined) return { key: from, range_end: rangeEnd };
  const after = Buffer.concat([dataKey(layout, startAfter), Buffer.from([0])]);
  return { key: Buffer.compare(after, from) > 0 ? after : from, range_end: rangeEnd };
}

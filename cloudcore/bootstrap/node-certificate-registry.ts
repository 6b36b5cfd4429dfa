/**
 * The node-certificate registry: which serial is current for each node, which are revoked. Reads
 * are synchronous from a cache (CloudHub asks on every handshake); every change is written to the
 * API store first, so it holds across restarts and is part of snapshots. The process's shared
 * configmaps informer keeps the cache in step with edits made through the API (an admin deleting
 * a record, a restored snapshot).
 */
import { createIfAbsent, updateObject, type ApiContext } from '../apiserver/index.js';
import type { ResourceDefinition } from '../apiserver/kinds/types.js';
import type { InformerEvent, SharedInformerFactory } from '../informers/index.js';
import { normalizeSerial } from '../../certs/index.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import {
  decodeRecord,
  encodeRecord,
  liveCertificate,
  RECORD_NAMESPACE,
  recordAccepts,
  recordName,
  withRevoked,
  type IssuedSerial,
  type NodeCertificateRecord,
} from './node-certificate-record.js';

/** What CloudHub needs (DESIGN § Security model): is this certificate still the node's? */
export interface NodeCertificateRegistry {
  /**
   * False when the serial was revoked or replaced for this node. A node the registry has never
   * seen (a certificate an admin signed with the CA key by hand) is valid: the TLS handshake has
   * already proved the CA signed it.
   */
  isValid(nodeName: string, serialHex: string): boolean;
  /** Called after a node's certificates were revoked (its Node deleted, or its name re-joined). */
  onRevoked(listener: (nodeName: string) => void): () => void;
}

export interface NodeCertificateStore extends NodeCertificateRegistry, Module {
  record(nodeName: string): NodeCertificateRecord | undefined;
  /** Runs fn alone for this node name: a join's check-then-record must not interleave with another. */
  exclusive<T>(nodeName: string, fn: () => Promise<T>): Promise<T>;
  /** A join: the new certificate is the only one accepted; a live one it replaces is revoked. */
  recordJoin(nodeName: string, issued: IssuedSerial): Promise<void>;
  /** A renewal by `renewedSerial`: it stays accepted (as previous) until it expires. */
  recordRenewal(nodeName: string, renewedSerial: string, issued: IssuedSerial): Promise<void>;
  revoke(nodeName: string, reason: string): Promise<void>;
  markRegistered(nodeName: string): Promise<void>;
  /** Nodes whose Node object has existed since their last join and whose certificate is not revoked. */
  registeredNodeNames(): string[];
}

const CONFIGMAPS = { group: '', resource: 'configmaps', namespaced: true };

export function createNodeCertificateRegistry(api: ApiContext, informers: SharedInformerFactory, logger: Logger): NodeCertificateStore {
  const cache = new Map<string, NodeCertificateRecord>();
  const listeners = new Set<(nodeName: string) => void>();
  const locks = new Map<string, Promise<unknown>>();
  const configMapInformer = informers.informerFor(CONFIGMAPS);
  let unsubscribe: (() => void) | undefined;

  const configMaps = (): ResourceDefinition => {
    const def = api.registry.get('', 'v1', 'configmaps');
    if (def === undefined) throw new Error('configmaps are not registered');
    return def;
  };

  const save = async (record: NodeCertificateRecord): Promise<void> => {
    const def = configMaps();
    const wanted = encodeRecord(record);
    const name = recordName(record.nodeName);
    // Created at the first join; every later save (renewal, revocation) updates it in place.
    const outcome = await createIfAbsent(api, def, wanted);
    if (!outcome.created) {
      await updateObject(api, def, {
        namespace: RECORD_NAMESPACE,
        name,
        subresource: undefined,
        dryRun: false,
        mutate: (current: KubeObject) => {
          current.data = wanted.data;
          current.metadata.labels = { ...(current.metadata.labels ?? {}), ...(wanted.metadata.labels ?? {}) };
          delete current.metadata.resourceVersion;
          return current;
        },
      });
    }
    cache.set(record.nodeName, record);
  };

  const notify = (nodeName: string): void => {
    for (const listener of [...listeners]) {
      try {
        listener(nodeName);
      } catch (err) {
        logger.error({ err, node: nodeName }, 'revocation listener failed');
      }
    }
  };

  const applyObject = (obj: KubeObject, deleted: boolean): void => {
    const record = decodeRecord(obj);
    if (record === undefined) return;
    if (deleted) {
      cache.delete(record.nodeName);
      return;
    }
    const known = new Set(cache.get(record.nodeName)?.revokedSerials ?? []);
    cache.set(record.nodeName, record);
    // Revoked by another cloudcore (the leader's revocation controller, or a re-join there,
    // docs/leader-election.md § What runs where): this process's sessions of the node close too.
    if (record.revokedSerials.some((serial) => !known.has(serial))) notify(record.nodeName);
  };

  return {
    name: 'node-certificate-registry',
    async start() {
      // Loaded before CloudHub takes its first handshake (main.ts starts this module before it).
      await configMapInformer.synced;
      // A relist's differences (a record deleted meanwhile) arrive as ordinary events.
      unsubscribe = configMapInformer.addHandler((event: InformerEvent) => {
        if (event.object.metadata.namespace === RECORD_NAMESPACE) applyObject(event.object, event.type === 'DELETED');
      });
      for (const obj of configMapInformer.list()) if (obj.metadata.namespace === RECORD_NAMESPACE) applyObject(obj, false);
    },
    async stop() {
      unsubscribe?.();
    },
    isValid(nodeName, serialHex) {
      const record = cache.get(nodeName);
      return record === undefined || recordAccepts(record, serialHex, api.now());
    },
    onRevoked(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    record: (nodeName) => cache.get(nodeName),
    exclusive(nodeName, fn) {
      const previous = locks.get(nodeName) ?? Promise.resolve();
      const run = previous.catch(() => undefined).then(fn);
      const tail = run.catch(() => undefined);
      locks.set(nodeName, tail);
      void tail.then(() => {
        if (locks.get(nodeName) === tail) locks.delete(nodeName);
      });
      return run;
    },
    async recordJoin(nodeName, issued) {
      const old = cache.get(nodeName);
      const now = api.now();
      const replaced = liveCertificate(old, now) !== undefined;
      const base = old === undefined ? { nodeName, revokedSerials: [], nodeRegistered: false } : withRevoked(old, [old.current?.serial, old.previous?.serial], now);
      const { revokedAt: _revokedAt, ...rest } = base;
      await save({ ...rest, current: { serial: normalizeSerial(issued.serial), notAfter: issued.notAfter }, nodeRegistered: false });
      if (replaced) {
        logger.warn({ node: nodeName }, 'node re-joined with a token made for it: its previous certificate is revoked');
        notify(nodeName);
      }
    },
    async recordRenewal(nodeName, renewedSerial, issued) {
      const old = cache.get(nodeName) ?? { nodeName, revokedSerials: [], nodeRegistered: false };
      const renewed = normalizeSerial(renewedSerial);
      const previousOf = (s: IssuedSerial | undefined) => (s?.serial === renewed ? s : undefined);
      const previous = previousOf(old.current) ?? previousOf(old.previous);
      const { previous: _p, current: _c, ...rest } = old;
      await save({ ...rest, current: { serial: normalizeSerial(issued.serial), notAfter: issued.notAfter }, ...(previous === undefined ? {} : { previous }) });
    },
    async revoke(nodeName, reason) {
      const old = cache.get(nodeName) ?? { nodeName, revokedSerials: [], nodeRegistered: false };
      const revoked = withRevoked(old, [old.current?.serial, old.previous?.serial], api.now());
      // The cache first: from this moment no handshake is accepted, even before the write lands.
      cache.set(nodeName, revoked);
      notify(nodeName);
      logger.info({ node: nodeName, reason }, 'node certificates revoked');
      await save(revoked);
    },
    registeredNodeNames: () => [...cache.values()].filter((r) => r.nodeRegistered && r.current !== undefined).map((r) => r.nodeName),
    async markRegistered(nodeName) {
      const old = cache.get(nodeName);
      if (old === undefined || old.nodeRegistered || old.current === undefined) return;
      await save({ ...old, nodeRegistered: true });
    },
  };
}

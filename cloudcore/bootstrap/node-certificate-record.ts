/**
 * What the cloud remembers about each node's certificates, kept as a ConfigMap
 * `kube-system/node-certificate-<node>` so it lives in state.db (and so in snapshots) and survives
 * restarts: the current serial, the previous one (still accepted until it expires, so a renewal
 * whose answer was lost never strands a node), and serials revoked when the Node was deleted.
 */
import { z } from 'zod';
import { normalizeSerial } from '../../certs/index.js';
import { rfc3339 } from '../../certs/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';

export const RECORD_NAMESPACE = 'kube-system';
export const RECORD_PREFIX = 'node-certificate-';
export const RECORD_LABEL = 'outpost.dev/node-certificate';
/** Object names are DNS subdomains of at most 253 characters, prefix included. */
export const MAX_NODE_NAME_LENGTH = 253 - RECORD_PREFIX.length;
/** Revoked serials kept per node, newest last; older ones have expired long ago. */
const MAX_REVOKED_SERIALS = 16;

export interface IssuedSerial {
  serial: string;
  notAfter: Date;
}

export interface NodeCertificateRecord {
  nodeName: string;
  current?: IssuedSerial;
  previous?: IssuedSerial;
  revokedSerials: string[];
  revokedAt?: Date;
  /** The Node object has existed since the last join: its absence at start means it was deleted. */
  nodeRegistered: boolean;
}

export function recordName(nodeName: string): string {
  return `${RECORD_PREFIX}${nodeName}`;
}

/** True when the serial is the node's current or previous one, unexpired and not revoked. */
export function recordAccepts(record: NodeCertificateRecord, serialHex: string, now: Date): boolean {
  const serial = normalizeSerial(serialHex);
  if (record.revokedSerials.includes(serial)) return false;
  return [record.current, record.previous].some((issued) => issued !== undefined && issued.serial === serial && issued.notAfter > now);
}

/** The current certificate when it is still live: what protects the node's name from a join. */
export function liveCertificate(record: NodeCertificateRecord | undefined, now: Date): IssuedSerial | undefined {
  const current = record?.current;
  return current !== undefined && current.notAfter > now ? current : undefined;
}

export function withRevoked(record: NodeCertificateRecord, serials: (string | undefined)[], now: Date): NodeCertificateRecord {
  const revoked = [...record.revokedSerials, ...serials.filter((s): s is string => s !== undefined && !record.revokedSerials.includes(s))];
  return { nodeName: record.nodeName, revokedSerials: revoked.slice(-MAX_REVOKED_SERIALS), revokedAt: now, nodeRegistered: false };
}

export function encodeRecord(record: NodeCertificateRecord): KubeObject {
  const data: Record<string, string> = {
    'node-name': record.nodeName,
    'revoked-serials': record.revokedSerials.join(','),
    'node-registered': String(record.nodeRegistered),
  };
  if (record.current !== undefined) {
    data['current-serial'] = record.current.serial;
    data['current-not-after'] = rfc3339(record.current.notAfter);
  }
  if (record.previous !== undefined) {
    data['previous-serial'] = record.previous.serial;
    data['previous-not-after'] = rfc3339(record.previous.notAfter);
  }
  if (record.revokedAt !== undefined) data['revoked-at'] = rfc3339(record.revokedAt);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: recordName(record.nodeName), namespace: RECORD_NAMESPACE, labels: { [RECORD_LABEL]: 'true' } },
    data,
  };
}

const date = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
const serial = z.string().regex(/^[0-9a-f]+$/);
const recordSchema = z.object({
  metadata: z.object({ name: z.string(), labels: z.record(z.string(), z.string()).optional() }).loose(),
  data: z.object({
    'node-name': z.string().min(1),
    'current-serial': serial.optional(),
    'current-not-after': date.optional(),
    'previous-serial': serial.optional(),
    'previous-not-after': date.optional(),
    'revoked-serials': z.string().default(''),
    'revoked-at': date.optional(),
    'node-registered': z.enum(['true', 'false']).default('false'),
  }),
});

/** A ConfigMap that is not one of ours, or was edited into nonsense, yields undefined. */
export function decodeRecord(obj: KubeObject): NodeCertificateRecord | undefined {
  if (obj.metadata.labels?.[RECORD_LABEL] !== 'true') return undefined;
  const parsed = recordSchema.safeParse(obj);
  if (!parsed.success) return undefined;
  const d = parsed.data.data;
  if (parsed.data.metadata.name !== recordName(d['node-name'])) return undefined;
  const issued = (s: string | undefined, notAfter: Date | undefined): IssuedSerial | undefined =>
    s === undefined || notAfter === undefined ? undefined : { serial: s, notAfter };
  const current = issued(d['current-serial'], d['current-not-after']);
  const previous = issued(d['previous-serial'], d['previous-not-after']);
  return {
    nodeName: d['node-name'],
    ...(current === undefined ? {} : { current }),
    ...(previous === undefined ? {} : { previous }),
    revokedSerials: d['revoked-serials'] === '' ? [] : d['revoked-serials'].split(','),
    ...(d['revoked-at'] === undefined ? {} : { revokedAt: d['revoked-at'] }),
    nodeRegistered: d['node-registered'] === 'true',
  };
}

import { z } from 'zod';
import { hubListSchema, hubsContent } from './hub-list.js';
import { streamCloseContent, streamDataContent, streamOpenContent, streamWindowContent } from './streams.js';

/**
 * The channel's one envelope (docs/protocol.md R3–R6), defined once and used by both ends. Every
 * frame is one JSON text message holding one envelope; both ends validate every frame with
 * these schemas before acting on it.
 */
const shortText = z.string().min(1).max(253);
const uid = z.string().min(1).max(128);
/** A resourceVersion as the API writes it: a decimal revision. */
const resourceVersion = z.string().regex(/^\d{1,20}$/);
/** Outbox sequence numbers (protocol.md R14). */
const sequence = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A Kubernetes object as it travels: identity fields checked, the rest passed through. */
export const objectSchema = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({
    name: shortText,
    namespace: shortText.optional(),
    uid,
    resourceVersion,
  }),
});

export const moduleName = z.enum(['cloudhub', 'edgehub', 'edgecontroller', 'metamanager']);
export const operation = z.enum(['handshake', 'inventory', 'upsert', 'delete', 'ack', 'update', 'result', 'error', 'stream']);

/** Where a message comes from and goes, and what it does to which resource (R4). */
export const routeSchema = z.strictObject({
  source: moduleName,
  target: moduleName,
  resource: z.string().min(1).max(64),
  operation,
});

export const helloContent = z.strictObject({
  kind: z.literal('hello'),
  protocolVersion: z.string().min(1).max(32),
  buildVersion: z.string().min(1).max(64),
});

export const welcomeContent = z.strictObject({
  kind: z.literal('welcome'),
  protocolVersion: z.string().min(1).max(32),
  buildVersion: z.string().min(1).max(64),
  nodeName: shortText,
  /** Since 1.6 (R45): the hub address list, this cloudcore first; never sent to a 1.5 peer. */
  hubs: hubListSchema.optional(),
});

export const inventoryContent = z.strictObject({
  kind: z.literal('inventory'),
  /** uid → resourceVersion of every object the edge holds (R8). */
  objects: z.record(uid, resourceVersion),
});

export const upsertContent = z.strictObject({ kind: z.literal('upsert'), object: objectSchema });

export const deleteContent = z.strictObject({
  kind: z.literal('delete'),
  uid,
  namespace: shortText.optional(),
  name: shortText,
});

export const ackContent = z.strictObject({
  kind: z.literal('ack'),
  /** Versions the edge has committed (R11). */
  items: z.array(z.strictObject({ uid, resourceVersion })).min(1).max(4096),
});

export const podStatusContent = z.strictObject({
  kind: z.literal('podStatus'),
  seq: sequence,
  namespace: shortText,
  name: shortText,
  uid,
  status: z.record(z.string(), z.unknown()),
});

export const podDeleteContent = z.strictObject({
  kind: z.literal('podDelete'),
  seq: sequence,
  namespace: shortText,
  name: shortText,
  uid,
});

export const nodeStatusContent = z.strictObject({
  kind: z.literal('nodeStatus'),
  seq: sequence,
  nodeName: shortText,
  /** Fields of Node.status the edge reports (addresses, nodeInfo, capacity, pressure conditions); Ready is the cloud's (R17). */
  status: z.record(z.string(), z.unknown()),
});

/**
 * A node's Lease renewal (protocol.md R23): the cloud writes `kube-node-lease/<nodeName>`. The
 * edge's renewTime is recorded as sent, but the cloud never judges freshness by it (R24).
 */
export const leaseContent = z.strictObject({
  kind: z.literal('lease'),
  seq: sequence,
  nodeName: shortText,
  holderIdentity: shortText,
  leaseDurationSeconds: z.number().int().positive().max(86_400),
  /** RFC 3339 with microseconds (MicroTime), from the edge's clock. */
  renewTime: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/),
  /** Reports waiting in the edge's outbox when this renewal was queued (protocol.md R48); optional, a 1.5 edge sends none. */
  outboxDepth: z.number().int().nonnegative().max(1_000_000_000).optional(),
});

const eventTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/);

/**
 * An event series from the edge (protocol.md R25, since 1.2): one (object, reason, type) with the
 * number of times it happened so far. The count is cumulative, so a resent or reordered message
 * never counts twice: the cloud keeps the highest count it has seen.
 */
export const eventContent = z.strictObject({
  kind: z.literal('event'),
  seq: sequence,
  involvedObject: z.strictObject({
    kind: z.enum(['Pod', 'Node']),
    namespace: shortText.optional(),
    name: shortText,
    uid: uid.optional(),
    apiVersion: z.string().max(64).optional(),
    fieldPath: z.string().max(256).optional(),
  }),
  type: z.enum(['Normal', 'Warning']),
  reason: z.string().min(1).max(128),
  message: z.string().max(1024),
  count: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  firstTimestamp: eventTime,
  lastTimestamp: eventTime,
  reportingComponent: z.string().min(1).max(128),
});

/** A twin value as KubeEdge writes it (docs/kubeedge-compat.md § Payloads): a string value and string metadata. */
const twinValue = z.strictObject({
  value: z.string().max(512),
  metadata: z.record(z.string().min(1).max(128), z.string().max(512)).optional(),
});

/**
 * A device's reported side from the edge (protocol.md R39, since 1.4): the whole twin set of one
 * Device as the edge holds it now, so the newest report replaces older ones in the outbox (R14)
 * and the cloud writes it whole into DeviceStatus. `uid` is the Device's uid (R16's precondition).
 */
export const deviceStatusContent = z.strictObject({
  kind: z.literal('deviceStatus'),
  seq: sequence,
  namespace: shortText,
  name: shortText,
  uid,
  twins: z
    .array(
      z.strictObject({
        propertyName: z.string().min(1).max(128),
        reported: twinValue.optional(),
        observedDesired: twinValue.optional(),
      }),
    )
    .max(1024),
  state: z.enum(['online', 'offline', 'ok', 'unhealthy', 'unknown']).optional(),
  /** RFC 3339, from the edge's clock: when the device was last heard from. */
  lastOnlineTime: eventTime.optional(),
});

export const resultContent = z.strictObject({
  kind: z.literal('result'),
  seq: sequence,
  outcome: z.enum(['ack', 'retry', 'reject']),
  message: z.string().max(4096).optional(),
});

export const errorContent = z.strictObject({
  kind: z.literal('error'),
  code: z.string().min(1).max(64),
  message: z.string().max(4096),
});

export const contentSchema = z.discriminatedUnion('kind', [
  helloContent,
  welcomeContent,
  inventoryContent,
  upsertContent,
  deleteContent,
  ackContent,
  podStatusContent,
  podDeleteContent,
  nodeStatusContent,
  leaseContent,
  eventContent,
  // Since 1.4 (R39): never sent to a 1.3 peer.
  deviceStatusContent,
  resultContent,
  errorContent,
  // Since 1.3 (R26–R31): never sent to a 1.2 peer.
  streamOpenContent,
  streamDataContent,
  streamWindowContent,
  streamCloseContent,
  // Since 1.6 (R45): never sent to a 1.5 peer.
  hubsContent,
]);

export const envelopeSchema = z.strictObject({
  id: z.string().min(1).max(64),
  parentId: z.string().min(1).max(64).optional(),
  /** Milliseconds since the epoch when the sender built the frame. */
  timestamp: z.number().int().nonnegative(),
  resourceVersion: resourceVersion.optional(),
  route: routeSchema,
  content: contentSchema,
});

export type Envelope = z.infer<typeof envelopeSchema>;
export type Content = z.infer<typeof contentSchema>;
export type ContentKind = Content['kind'];
export type Route = z.infer<typeof routeSchema>;
export type ModuleName = z.infer<typeof moduleName>;
export type WireObject = z.infer<typeof objectSchema>;
export type UpstreamContent =
  | z.infer<typeof podStatusContent>
  | z.infer<typeof podDeleteContent>
  | z.infer<typeof nodeStatusContent>
  | z.infer<typeof leaseContent>
  | z.infer<typeof eventContent>
  | z.infer<typeof deviceStatusContent>;

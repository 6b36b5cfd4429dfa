import type { ContentKind } from '../../shared/protocol/index.js';
import { mutateBytes } from './mutate-bytes.js';
import { mutateJson } from './mutate-json.js';
import type { Prng } from './prng.js';
import { randomValue, type Json } from './values.js';

/**
 * Channel frames for the fuzzer: a valid sample of every content kind in
 * shared/protocol/envelope.ts (what a node may send and what only the cloud sends, which a node
 * must not), wrapped in a valid envelope, then mutated by structure and by bytes.
 */
export interface NodeView {
  nodeName: string;
  /** Pods bound to this node, as its upserts named them. */
  pods: ReadonlyArray<{ namespace: string; name: string; uid: string; resourceVersion: string }>;
}

const NOW = '2026-01-01T00:00:00Z';
const route = (operation: string, resource = 'pods'): Json => ({ source: 'edgehub', target: 'cloudhub', resource, operation });

/** Every content kind, valid for this node (objects it holds where it names one). */
export function validContents(prng: Prng, view: NodeView): Record<ContentKind, Json> {
  const pod = view.pods.length > 0 ? prng.pick(view.pods) : { namespace: 'fuzz', name: 'p', uid: '00000000-0000-0000-0000-000000000000', resourceVersion: '1' };
  const seq = prng.range(1, 1_000_000);
  const twin = { value: '21', metadata: { type: 'int', timestamp: '1700000000000' } };
  return {
    hello: { kind: 'hello', protocolVersion: '1.4', buildVersion: 'fuzz' },
    welcome: { kind: 'welcome', protocolVersion: '1.4', buildVersion: 'fuzz', nodeName: view.nodeName },
    inventory: { kind: 'inventory', objects: Object.fromEntries(view.pods.map((p) => [p.uid, p.resourceVersion])) },
    upsert: { kind: 'upsert', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod.name, namespace: pod.namespace, uid: pod.uid, resourceVersion: pod.resourceVersion }, spec: { nodeName: view.nodeName } } },
    delete: { kind: 'delete', uid: pod.uid, namespace: pod.namespace, name: pod.name },
    ack: { kind: 'ack', items: [{ uid: pod.uid, resourceVersion: pod.resourceVersion }] },
    podStatus: { kind: 'podStatus', seq, namespace: pod.namespace, name: pod.name, uid: pod.uid, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], podIP: '10.42.0.7', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'busybox', imageID: '', state: { running: { startedAt: NOW } } }] } },
    podDelete: { kind: 'podDelete', seq, namespace: pod.namespace, name: pod.name, uid: pod.uid },
    nodeStatus: { kind: 'nodeStatus', seq, nodeName: view.nodeName, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.9' }], capacity: { cpu: '2', memory: '2Gi', pods: '110' }, nodeInfo: { kubeletVersion: 'v1.32.0', architecture: 'amd64' } } },
    lease: { kind: 'lease', seq, nodeName: view.nodeName, holderIdentity: view.nodeName, leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' },
    event: {
      kind: 'event', seq, involvedObject: { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid, apiVersion: 'v1', fieldPath: 'spec.containers{c}' },
      type: 'Normal', reason: 'Started', message: 'Started container c', count: prng.range(1, 5), firstTimestamp: NOW, lastTimestamp: NOW, reportingComponent: 'edged',
    },
    deviceStatus: { kind: 'deviceStatus', seq, namespace: pod.namespace, name: 'thermometer', uid: pod.uid, twins: [{ propertyName: 'temperature', reported: twin, observedDesired: twin }], state: 'online', lastOnlineTime: NOW },
    result: { kind: 'result', seq, outcome: 'ack', message: 'ok' },
    error: { kind: 'error', code: 'BadRequest', message: 'fuzz' },
    streamOpen: { kind: 'streamOpen', streamId: 's1', request: { type: 'logs', namespace: pod.namespace, name: pod.name, uid: pod.uid, container: 'c', follow: false, previous: false, timestamps: false, tailLines: 10 }, window: 65536 },
    streamData: { kind: 'streamData', streamId: 's1', encoding: 'utf8', data: 'hello\n', channel: 'stdout' },
    streamWindow: { kind: 'streamWindow', streamId: 's1', bytes: 65536 },
    streamClose: { kind: 'streamClose', streamId: 's1', exitCode: 0 },
    hubs: { kind: 'hubs', hubs: ['wss://127.0.0.1:10000'] },
  };
}

export function envelopeAround(prng: Prng, content: Json, operation = 'update'): Json {
  // A timestamp from the seed too, so that a replay sends the very same bytes.
  const envelope: { [key: string]: Json } = { id: `f${prng.uint32().toString(36)}`, timestamp: 1_767_225_600_000 + prng.int(1e9), route: route(operation), content };
  if (prng.chance(0.2)) envelope.parentId = `p${prng.uint32().toString(36)}`;
  if (prng.chance(0.2)) envelope.resourceVersion = String(prng.range(1, 1_000_000));
  return envelope;
}

export type FrameStyle = 'valid' | 'content' | 'envelope' | 'bytes' | 'random' | 'binary';

export interface ChannelFrame {
  /** Text frames go as text, binary ones as a binary websocket message. */
  data: string | Buffer;
  style: FrameStyle;
  kind: ContentKind;
}

/** One fuzz frame: a valid sample of a random kind, mutated in one of several ways. */
export function channelFrame(prng: Prng, view: NodeView): ChannelFrame {
  const samples = validContents(prng, view);
  const kinds = Object.keys(samples) as ContentKind[];
  const kind = prng.pick(kinds);
  const donors = Object.values(samples);
  const style = prng.weighted<FrameStyle>([[1, 'valid'], [5, 'content'], [2, 'envelope'], [3, 'bytes'], [1, 'random'], [1, 'binary']]);
  const sample = samples[kind];
  const text = (value: Json): string => JSON.stringify(value);
  switch (style) {
    case 'valid': return { data: text(envelopeAround(prng, sample)), style, kind };
    case 'content': return { data: text(envelopeAround(prng, mutateJson(prng, sample, donors))), style, kind };
    case 'envelope': return { data: text(mutateJson(prng, envelopeAround(prng, sample), donors)), style, kind };
    case 'bytes': {
      const encoded = Buffer.from(text(envelopeAround(prng, sample)));
      const { bytes } = mutateBytes(prng, encoded, donors.map((d) => Buffer.from(text(d))));
      return { data: bytes.toString('utf8'), style, kind };
    }
    case 'random': return { data: prng.chance(0.5) ? text(randomValue(prng, 4)) : prng.bytes(prng.range(0, 256)).toString('latin1'), style, kind };
    case 'binary': return { data: prng.chance(0.5) ? Buffer.from(text(envelopeAround(prng, sample))) : prng.bytes(prng.range(0, 512)), style, kind };
  }
}

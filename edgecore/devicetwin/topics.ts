/**
 * KubeEdge's device topics (docs/kubeedge-compat.md § MQTT topics). A device is `<namespace>/<name>`
 * and its topics sit under `$hw/events/device/<namespace>/<name>/`.
 */
export const DEVICE_PREFIX = '$hw/events/device/';
export const NODE_PREFIX = '$hw/events/node/';

/** What the edge subscribes to (QoS 1): its own answers sit one level deeper and never match. */
export const SUBSCRIPTIONS = [`${DEVICE_PREFIX}+/+/twin/+`, `${DEVICE_PREFIX}+/+/state/update`, `${NODE_PREFIX}+/membership/get`] as const;

export type TwinRequestTopic =
  | { kind: 'twinUpdate'; namespace: string; name: string }
  | { kind: 'twinGet'; namespace: string; name: string }
  | { kind: 'stateUpdate'; namespace: string; name: string }
  | { kind: 'membershipGet'; node: string };

/** The request a topic names, or undefined for a topic the edge does not answer. */
export function parseRequestTopic(topic: string): TwinRequestTopic | undefined {
  const parts = topic.split('/');
  if (topic.startsWith(DEVICE_PREFIX) && parts.length >= 6) {
    const [, , , namespace = '', name = '', ...rest] = parts;
    if (namespace === '' || name === '') return undefined;
    const tail = rest.join('/');
    if (tail === 'twin/update') return { kind: 'twinUpdate', namespace, name };
    if (tail === 'twin/get') return { kind: 'twinGet', namespace, name };
    if (tail === 'state/update') return { kind: 'stateUpdate', namespace, name };
    return undefined;
  }
  if (topic.startsWith(NODE_PREFIX) && parts.length === 6 && parts[4] === 'membership' && parts[5] === 'get' && parts[3] !== '') {
    return { kind: 'membershipGet', node: parts[3] ?? '' };
  }
  return undefined;
}

export const deviceTopic = (device: { namespace: string; name: string }, suffix: string): string => `${DEVICE_PREFIX}${device.namespace}/${device.name}/${suffix}`;
export const nodeTopic = (node: string, suffix: string): string => `${NODE_PREFIX}${node}/${suffix}`;

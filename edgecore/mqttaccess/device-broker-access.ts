import { createHash, timingSafeEqual } from 'node:crypto';
import type { EdgeStore } from '../metamanager/index.js';
import type { BrokerAccess, BrokerPrincipal } from '../mqttbroker/index.js';
import { credentialsSecret, deviceOnNode, devicesOnNode } from './credential-objects.js';
import { grantCoversFilter, isValidTopicFilter, isValidTopicName, levelsOf, type TopicGrant } from './topic-filters.js';

export interface DeviceBrokerAccessOptions {
  /** edge.db, read on every question, so a new Device or a rotated password applies at once. */
  store: EdgeStore;
  nodeName: string;
  /** edgecore's own EventBus client (a random password per start): it may do anything. */
  agent: { username: string; password: string };
}

/** The device topics' common prefix (docs/kubeedge-compat.md § MQTT topics). */
const DEVICE_PREFIX = ['$hw', 'events', 'device'] as const;

/**
 * The embedded broker's access policy in internal mode (docs/mqtt-access.md): the agent may do
 * anything; a device program logs in with the username and password of a credentials Secret that
 * a Device on this node names, and may then use only the topic trees of the Devices naming that
 * Secret, plus its node's membership topics. Everything else is refused.
 */
export function createDeviceBrokerAccess(options: DeviceBrokerAccessOptions): BrokerAccess {
  const { store, nodeName } = options;
  const agentUsername = digest(Buffer.from(options.agent.username));
  const agentPassword = digest(Buffer.from(options.agent.password));
  const membership = `$hw/events/node/${nodeName}/membership`;
  const membershipPublish = `${membership}/get`;
  const membershipGrants: TopicGrant[] = [
    { kind: 'topic', levels: levelsOf(`${membership}/get/result`) },
    { kind: 'topic', levels: levelsOf(`${membership}/updated`) },
  ];

  /** The Device named by the topic's first five levels, if the principal's Secret is the one it names. */
  const ownsDeviceOf = (principal: { name: string }, levels: readonly string[]): TopicGrant | undefined => {
    if (levels.length < 5 || DEVICE_PREFIX.some((l, i) => levels[i] !== l)) return undefined;
    const namespace = levels[3] ?? '';
    const name = levels[4] ?? '';
    const owner = splitPrincipal(principal.name);
    if (owner === undefined || owner.namespace !== namespace) return undefined;
    const device = deviceOnNode(store, nodeName, namespace, name);
    if (device === undefined || device.secretName !== owner.secretName) return undefined;
    // A deleted Secret logs nobody in any more, nor keeps a logged-in client's rights.
    if (credentialsSecret(store, namespace, owner.secretName) === undefined) return undefined;
    return { kind: 'tree', levels: [...DEVICE_PREFIX, namespace, name] };
  };

  return {
    authenticate(username, password) {
      if (username === undefined || password === undefined) return undefined;
      const givenUsername = digest(Buffer.from(username));
      const givenPassword = digest(password);
      // Both halves are always compared, so the time taken does not say which one was wrong.
      const agentUserOk = timingSafeEqual(givenUsername, agentUsername);
      const agentPasswordOk = timingSafeEqual(givenPassword, agentPassword);
      if (agentUserOk && agentPasswordOk) return { kind: 'agent' };
      return findClient(store, nodeName, givenUsername, givenPassword);
    },
    mayPublish(principal, topic) {
      if (!isValidTopicName(topic)) return false;
      if (principal.kind === 'agent') return true;
      if (topic === membershipPublish) return true;
      return ownsDeviceOf(principal, levelsOf(topic)) !== undefined;
    },
    maySubscribe(principal, filter) {
      if (!isValidTopicFilter(filter)) return false;
      if (principal.kind === 'agent') return true;
      if (membershipGrants.some((grant) => grantCoversFilter(grant, filter))) return true;
      const tree = ownsDeviceOf(principal, levelsOf(filter));
      return tree !== undefined && grantCoversFilter(tree, filter);
    },
  };
}

/**
 * The credentials Secret these digests belong to, among those the node's Devices name. Every
 * candidate is compared in full (no early exit), each by SHA-256 digest so lengths match.
 */
function findClient(store: EdgeStore, nodeName: string, username: Buffer, password: Buffer): BrokerPrincipal | undefined {
  const seen = new Set<string>();
  let found: BrokerPrincipal | undefined;
  for (const device of devicesOnNode(store, nodeName)) {
    const name = `${device.namespace}/${device.secretName}`;
    if (seen.has(name)) continue;
    seen.add(name);
    const credentials = credentialsSecret(store, device.namespace, device.secretName);
    if (credentials === undefined) continue;
    const userOk = timingSafeEqual(digest(credentials.username), username);
    const passwordOk = timingSafeEqual(digest(credentials.password), password);
    if (userOk && passwordOk && found === undefined) found = { kind: 'client', name };
  }
  return found;
}

function digest(value: Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/** `<namespace>/<secret-name>`: namespaces hold no `/`, so the first one splits. */
function splitPrincipal(name: string): { namespace: string; secretName: string } | undefined {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) return undefined;
  return { namespace: name.slice(0, slash), secretName: name.slice(slash + 1) };
}

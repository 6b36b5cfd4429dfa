import { request } from 'node:https';
import type { KubeconfigCredentials } from './api-client.js';

export interface WatchedPod {
  metadata: { uid: string };
}

export interface PodWatch {
  /** How many watch events arrived so far. */
  events(): number;
  stop(): void;
}

/**
 * Follows pods through a raw watch from a list's resourceVersion, so a test sees every state the
 * API went through (a poll can miss a short dip): after each event `onChange` gets all the pods
 * as they stand, keyed by uid.
 */
export function followPods<P extends WatchedPod>(
  creds: KubeconfigCredentials,
  query: { namespace: string; labelSelector: string },
  listed: { metadata: { resourceVersion: string }; items: P[] },
  onChange: (pods: ReadonlyMap<string, P>) => void,
): PodWatch {
  const state = new Map<string, P>(listed.items.map((p) => [p.metadata.uid, p]));
  let count = 0;
  let buffer = '';
  const selector = encodeURIComponent(query.labelSelector);
  const url = new URL(`/api/v1/namespaces/${query.namespace}/pods?watch=1&labelSelector=${selector}&resourceVersion=${listed.metadata.resourceVersion}`, creds.server);
  const req = request(url, { ca: creds.ca, cert: creds.cert, key: creds.key }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line === '') continue;
        const event = JSON.parse(line) as { type: string; object: P };
        count++;
        if (event.type === 'DELETED') state.delete(event.object.metadata.uid);
        else state.set(event.object.metadata.uid, event.object);
        onChange(state);
      }
    });
  });
  // The test stops the watch by destroying the request; that error is the expected end.
  req.on('error', () => undefined);
  req.end();
  return { events: () => count, stop: () => req.destroy() };
}

/**
 * GET|POST /api/v1/namespaces/{ns}/pods/{name}/attach as a websocket upgrade (`kubectl attach`,
 * `kubectl run -i`): the stdio of the container's process, reached on the pod's node through a
 * stream over its websocket (docs/protocol.md R43). Steps: options, pod, container (the one
 * named, or the only one, as the API server's streamLocation picks), node, then the stream and
 * the relay exec uses (stream-upgrade.ts).
 */
import type { Result } from '../../../shared/errors.js';
import type { AttachRequest } from '../../../shared/protocol/index.js';
import { errors, type UpgradeHandler, type UpgradeRequest } from '../../apiserver/index.js';
import type { HubStream } from '../../cloudhub/index.js';
import { resolveExecContainer } from '../exec/exec-options.js';
import { createStreamUpgradeHandler } from '../exec/stream-upgrade.js';
import { resolveStreamTarget } from '../target/stream-target.js';
import { attachChannels, containerTty, parseAttachOptions } from './attach-options.js';

export interface PodAttachHandlerOptions {
  /** CloudHub's openStream; it fails at once when the node is not connected. */
  openStream: (nodeName: string, request: AttachRequest) => Result<HubStream>;
}

export function createPodAttachHandler(options: PodAttachHandlerOptions): UpgradeHandler {
  return createStreamUpgradeHandler<AttachRequest>({ verb: 'attach', resolve: attachRequestStep, openStream: options.openStream });
}

async function attachRequestStep(r: UpgradeRequest): Promise<{ nodeName: string; request: AttachRequest }> {
  const parsed = parseAttachOptions(r.query);
  if (!parsed.ok) throw errors.badRequest(parsed.message);
  const o = parsed.value;
  let tty = false;
  const { nodeName, ...target } = await resolveStreamTarget(
    r,
    o.container,
    (podName, spec, requested) => {
      const chosen = resolveExecContainer(podName, spec, requested);
      if (chosen.ok) tty = containerTty(spec, chosen.value);
      return chosen;
    },
    (name) => `pod ${name} does not have a host assigned`,
  );
  const request: AttachRequest = { type: 'attach', ...target, ...attachChannels(o, tty) };
  return { nodeName, request };
}

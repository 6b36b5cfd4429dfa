/**
 * GET|POST /api/v1/namespaces/{ns}/pods/{name}/exec as a websocket upgrade: the command runs on
 * the pod's node through a stream over its websocket (docs/protocol.md R32). Steps: options,
 * pod, container, node (here), then the stream and the relay (stream-upgrade.ts).
 */
import type { Result } from '../../../shared/errors.js';
import type { ExecRequest } from '../../../shared/protocol/index.js';
import { errors, type UpgradeHandler, type UpgradeRequest } from '../../apiserver/index.js';
import type { HubStream } from '../../cloudhub/index.js';
import { resolveStreamTarget } from '../target/stream-target.js';
import { parseExecOptions, resolveExecContainer } from './exec-options.js';
import { createStreamUpgradeHandler } from './stream-upgrade.js';

export interface PodExecHandlerOptions {
  /** CloudHub's openStream; it fails at once when the node is not connected. */
  openStream: (nodeName: string, request: ExecRequest) => Result<HubStream>;
}

export function createPodExecHandler(options: PodExecHandlerOptions): UpgradeHandler {
  return createStreamUpgradeHandler<ExecRequest>({ verb: 'exec', resolve: execRequestStep, openStream: options.openStream });
}

async function execRequestStep(r: UpgradeRequest): Promise<{ nodeName: string; request: ExecRequest }> {
  const parsed = parseExecOptions(r.query);
  if (!parsed.ok) throw errors.badRequest(parsed.message);
  const o = parsed.value;
  const { nodeName, ...target } = await resolveStreamTarget(r, o.container, resolveExecContainer, (name) => `pod ${name} does not have a host assigned`);
  const request: ExecRequest = { type: 'exec', ...target, command: o.command, stdin: o.stdin, stdout: o.stdout, stderr: o.stderr, tty: o.tty };
  return { nodeName, request };
}

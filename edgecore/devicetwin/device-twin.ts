import { randomUUID } from 'node:crypto';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { EdgeStore } from '../metamanager/index.js';
import { onObjectChanges, reconcileAll } from './desired-sync.js';
import type { TwinMessage, TwinOutcome } from './messages.js';
import { handleMembershipGet, handleStateUpdate, handleTwinGet } from './other-requests.js';
import type { RequestContext } from './request-context.js';
import { failureBody } from './payloads.js';
import { deviceTopic, nodeTopic, parseRequestTopic, SUBSCRIPTIONS } from './topics.js';
import { handleTwinUpdate } from './twin-update.js';
import { TwinTable } from './twin-table.js';

export interface DeviceTwinOptions {
  store: EdgeStore;
  nodeName: string;
  logger: Logger;
  /** Publishes on every broker the edge uses (deltas, documents, membership updates). */
  broadcast: (messages: readonly TwinMessage[]) => void;
  now?: () => number;
}

export interface DeviceTwinCounters {
  /** Messages on request topics, whatever their outcome. */
  requests: number;
  /** Requests answered with a failure code (400, 404, 409, 500), or not answered because handling failed. */
  refused: number;
  /** Messages on topics the edge does not answer. */
  ignored: number;
}

export interface DeviceTwin extends Module {
  /** The MQTT topic filters to subscribe to, QoS 1 (docs/kubeedge-compat.md § MQTT topics). */
  readonly subscriptions: readonly string[];
  /**
   * Handles one message from a device program and returns the answers to publish on the broker it
   * came from; deltas and documents go out through `broadcast`. Never throws: any payload gets an
   * answer with a code, or none for a topic that is not a request.
   */
  handleMessage(topic: string, payload: Buffer): TwinMessage[];
  counters(): DeviceTwinCounters;
}

/**
 * DeviceTwin (docs/device-twins.md): device twins in edge.db beside the objects MetaManager
 * keeps. It follows the store's change feed for the cloud's Devices (cloud wins desired) and
 * answers device programs' requests (device wins reported); every change queues the device's
 * deviceStatus in the outbox (docs/protocol.md R39).
 */
export function createDeviceTwin(options: DeviceTwinOptions): DeviceTwin {
  const logger = options.logger;
  const ctx: RequestContext = {
    store: options.store,
    twins: new TwinTable(options.store),
    nodeName: options.nodeName,
    now: options.now ?? (() => Date.now()),
    newEventId: () => randomUUID(),
  };
  const counters: DeviceTwinCounters = { requests: 0, refused: 0, ignored: 0 };
  let unsubscribe: (() => void) | undefined;

  function broadcast(messages: readonly TwinMessage[]): void {
    if (messages.length === 0) return;
    try {
      options.broadcast(messages);
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not publish twin messages');
    }
  }

  function dispatch(topic: string, payload: Buffer): TwinOutcome | undefined {
    const request = parseRequestTopic(topic);
    if (request === undefined) return undefined;
    switch (request.kind) {
      case 'twinUpdate':
        return handleTwinUpdate(ctx, request, payload);
      case 'twinGet':
        return handleTwinGet(ctx, request, payload);
      case 'stateUpdate':
        return handleStateUpdate(ctx, request, payload);
      case 'membershipGet':
        return handleMembershipGet(ctx, request.node, payload);
    }
  }

  return {
    name: 'devicetwin',
    subscriptions: SUBSCRIPTIONS,
    handleMessage(topic, payload) {
      let outcome: TwinOutcome | undefined;
      try {
        outcome = dispatch(topic, payload);
      } catch (err) {
        // A bug or a broken edge.db (a row that fails its schema) must not take the agent down: 500.
        counters.requests++;
        counters.refused++;
        const reason = err instanceof Error ? err.message : String(err);
        logger.error({ topic, err: reason }, 'twin request failed');
        return internalError(topic, ctx, reason);
      }
      if (outcome === undefined) {
        counters.ignored++;
        return [];
      }
      counters.requests++;
      if (outcome.replies.some((m) => 'code' in m.body)) counters.refused++;
      broadcast(outcome.broadcasts);
      return outcome.replies;
    },
    counters: () => ({ ...counters }),
    async start() {
      unsubscribe = options.store.onChange((changes) => {
        try {
          broadcast(onObjectChanges(ctx, changes));
        } catch (err) {
          logger.error({ err: err instanceof Error ? err.message : String(err) }, 'applying device changes failed; the next start reconciles');
        }
      });
      broadcast(reconcileAll(ctx));
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}

/** The 500 answer to a request whose handling threw, on the request's result topic. */
function internalError(topic: string, ctx: RequestContext, reason: string): TwinMessage[] {
  const request = parseRequestTopic(topic);
  if (request === undefined) return [];
  const resultTopic =
    request.kind === 'membershipGet'
      ? nodeTopic(request.node, 'membership/get/result')
      : deviceTopic(request, request.kind === 'twinUpdate' ? 'twin/update/result' : request.kind === 'twinGet' ? 'twin/get/result' : 'state/update/result');
  return [{ topic: resultTopic, body: failureBody(ctx.newEventId(), ctx.now(), { code: 500, reason: `internal error: ${reason}` }) }];
}

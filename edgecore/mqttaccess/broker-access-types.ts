/**
 * The broker's access seam, word for word as `edgecore/mqttbroker` exports it (the device-twin
 * contract, docs/mqtt-access.md § The broker's questions). Kept here as well so this module does
 * not wait on the broker's code; TypeScript's structural typing makes the two interchangeable.
 */
export type BrokerPrincipal = { kind: 'agent' } | { kind: 'client'; name: string };

export interface BrokerAccess {
  authenticate(username: string | undefined, password: Buffer | undefined): BrokerPrincipal | undefined;
  mayPublish(principal: BrokerPrincipal, topic: string): boolean;
  maySubscribe(principal: BrokerPrincipal, filter: string): boolean;
}

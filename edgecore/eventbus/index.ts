export { createEventBus } from './event-bus.js';
export type { EventBus, EventBusOptions } from './event-bus.js';
export type { BrokerConnectionCounters, BrokerConnectionPhase, BrokerTarget, BusMessage, MessageHandler } from './broker-connection.js';

/** One MQTT message DeviceTwin wants published: a topic and a JSON body. */
export interface TwinMessage {
  topic: string;
  body: Record<string, unknown>;
}

/**
 * What handling a request produced: `replies` go back on the broker the request came from
 * (results), `broadcasts` to every broker the edge uses (deltas, documents, membership).
 */
export interface TwinOutcome {
  replies: TwinMessage[];
  broadcasts: TwinMessage[];
}

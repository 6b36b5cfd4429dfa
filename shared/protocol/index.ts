export { PROTOCOL_VERSION, checkPeerVersion, parseProtocolVersion, supportsEvents } from './version.js';
export type { ParsedVersion } from './version.js';
export { buildEnvelope, decodeFrame, encodeFrame, encodeUpsertFrame, newFrameId } from './frames.js';
export type { FrameOptions } from './frames.js';
export { contentSchema, envelopeSchema, objectSchema, routeSchema } from './envelope.js';
export type { Content, ContentKind, Envelope, ModuleName, Route, UpstreamContent, WireObject } from './envelope.js';
export { MAX_FRAME_BYTES, NODE_GROUP, NODE_USER_PREFIX, EDGE_ROLE_LABEL, NODE_LEASE_NAMESPACE } from './constants.js';

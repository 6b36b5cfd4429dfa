/** Frames above this size close the session (protocol.md R6). */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** A node's certificate names it as CN `system:node:<name>` in O `system:nodes` (R1). */
export const NODE_USER_PREFIX = 'system:node:';
export const NODE_GROUP = 'system:nodes';
/** The label an edge's Node carries, as KubeEdge sets it. */
export const EDGE_ROLE_LABEL = 'node-role.kubernetes.io/edge';
/** Where node Leases live (protocol.md R23), as in Kubernetes. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** On a node's Lease: the hub id of the cloudcore that wrote its last renewal (protocol.md R48). */
export const CONNECTED_HUB_ANNOTATION = 'outpost.dev/connected-hub';
/** On a node's Lease: the edge's outbox depth as of that renewal (protocol.md R48). */
export const OUTBOX_DEPTH_ANNOTATION = 'outpost.dev/outbox-depth';
/** Close code: the peer broke the protocol, e.g. an inventory after the handshake (protocol.md R33–R34). */
export const CLOSE_PROTOCOL_VIOLATION = 4004;
/** Close code: the session went over one of its bounds (protocol.md R35–R36). */
export const CLOSE_OVER_LIMIT = 4005;

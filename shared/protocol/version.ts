import { fail, ok, type Result } from '../errors.js';

/**
 * The channel's protocol version (docs/protocol.md R2). The minor goes up for additive changes a
 * peer one minor behind still understands; the major for anything else.
 */
export const PROTOCOL_VERSION = '1.6';
// 1.1: the `lease` content kind (protocol.md R23). 1.2: the `event` content kind (R25); a 1.1
// edge, which sends no events, is still accepted, and a 1.2 edge sends none to a 1.1 cloud.
// 1.3: streams (R26–R31); a 1.2 edge is still accepted, and the cloud never opens a stream to it.
// 1.4: devices (R39): Device/DeviceModel downstream and `deviceStatus` upstream; a 1.3 edge is
// still accepted, gets no devices, and a 1.4 edge sends no `deviceStatus` to a 1.3 cloud.
// 1.5: service accounts (R40–R42): pod-bound tokens, the issuer's keys and the RBAC objects that
// grant the node's service accounts travel downstream; a 1.4 edge is still accepted and gets none.
// 1.6: port-forward streams (R44), the hub address list (R45), handshake admission (R46) and
// ephemeral containers (R47), and the optional `outboxDepth` of a `lease` (R48); a 1.5 edge is
// still accepted and is never asked for any of them.

/** Whether a peer speaking `version` understands `event` frames (R25). */
export function supportsEvents(version: string): boolean {
  const parsed = parseProtocolVersion(version);
  return parsed !== undefined && (parsed.major > 1 || (parsed.major === 1 && parsed.minor >= 2));
}

/** Whether a peer speaking `version` understands devices (R39). */
export function supportsDevices(version: string): boolean {
  const parsed = parseProtocolVersion(version);
  return parsed !== undefined && (parsed.major > 1 || (parsed.major === 1 && parsed.minor >= 4));
}

/** Whether a peer speaking `version` takes service-account tokens, the issuer and RBAC objects (R40). */
export function supportsServiceAccounts(version: string): boolean {
  const parsed = parseProtocolVersion(version);
  return parsed !== undefined && (parsed.major > 1 || (parsed.major === 1 && parsed.minor >= 5));
}

/** Whether a peer speaking `version` speaks protocol 1.6 (R44–R47). */
export function supportsProtocol16(version: string): boolean {
  const parsed = parseProtocolVersion(version);
  return parsed !== undefined && (parsed.major > 1 || (parsed.major === 1 && parsed.minor >= 6));
}

export interface ParsedVersion {
  major: number;
  minor: number;
}

export function parseProtocolVersion(text: string): ParsedVersion | undefined {
  const m = /^(\d{1,6})\.(\d{1,6})$/.exec(text);
  if (m === null) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/**
 * The cloud accepts its own minor and the one before, in the same major (protocol.md R2).
 * The message names both versions so that each side can log a clear reason.
 */
export function checkPeerVersion(peer: string, own: string = PROTOCOL_VERSION): Result<void> {
  const mine = parseProtocolVersion(own);
  const theirs = parseProtocolVersion(peer);
  if (mine === undefined) return fail('Internal', `own protocol version ${JSON.stringify(own)} is malformed`);
  if (theirs === undefined) return fail('BadRequest', `protocol version ${JSON.stringify(peer)} is malformed (expected MAJOR.MINOR)`);
  const accepted = mine.minor === 0 ? `${mine.major}.0` : `${mine.major}.${mine.minor - 1} or ${mine.major}.${mine.minor}`;
  if (theirs.major !== mine.major || theirs.minor > mine.minor || theirs.minor < mine.minor - 1) {
    return fail('BadRequest', `protocol version ${peer} is not supported: this cloud speaks ${own} and accepts ${accepted}`);
  }
  return ok(undefined);
}

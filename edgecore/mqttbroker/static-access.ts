import { timingSafeEqual } from 'node:crypto';
import type { BrokerAccess, BrokerPrincipal } from './types.js';

/** One login of a StaticAccess table: its password and the topic prefixes it may use. */
export interface StaticLogin {
  password: string;
  /** 'agent' may do anything; a client only under its prefixes. */
  kind: 'agent' | 'client';
  /** Topic prefixes ending in '/' (e.g. `$hw/events/device/default/lamp/`). */
  prefixes?: string[];
}

function samePassword(given: Buffer | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** A filter is allowed only when every topic it can match lies under an allowed prefix. */
function filterUnder(filter: string, prefix: string): boolean {
  // The prefix ends in '/', so a wildcard after it can only match topics below it.
  return filter.startsWith(prefix);
}

/**
 * A BrokerAccess from a fixed table of logins, for the broker's own tests and the benchmark; the
 * edge's real policy is edgecore/mqttaccess, which reads edge.db.
 */
export function createStaticAccess(logins: Record<string, StaticLogin>): BrokerAccess {
  const table = new Map(Object.entries(logins));
  const prefixesOf = (principal: BrokerPrincipal): string[] =>
    principal.kind === 'client' ? (table.get(principal.name)?.prefixes ?? []) : [];
  return {
    authenticate(username, password) {
      const login = username === undefined ? undefined : table.get(username);
      if (username === undefined || login === undefined || !samePassword(password, login.password)) return undefined;
      return login.kind === 'agent' ? { kind: 'agent' } : { kind: 'client', name: username };
    },
    mayPublish(principal, topic) {
      return principal.kind === 'agent' || prefixesOf(principal).some((prefix) => topic.startsWith(prefix));
    },
    maySubscribe(principal, filter) {
      return principal.kind === 'agent' || prefixesOf(principal).some((prefix) => filterUnder(filter, prefix));
    },
  };
}

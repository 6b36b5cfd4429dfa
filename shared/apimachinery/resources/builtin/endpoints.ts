import type { KubeObject } from '../../../k8s/types.js';
import { num, objArray, str } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';

const MAX_SHOWN = 3;

/** `host:port` as Go's net.JoinHostPort writes it (IPv6 in brackets). */
function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * formatEndpoints of kubectl's printers: the first three ready `ip:port` pairs (or bare IPs of a
 * subset without ports), then ` + N more...`; `<none>` without subsets.
 */
export function formatEndpointsCell(endpoints: KubeObject): string {
  const subsets = objArray(endpoints.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  let more = false;
  for (const subset of subsets) {
    const addresses = objArray(subset.addresses).map((a) => str(a.ip));
    const ports = objArray(subset.ports);
    const pairs = ports.length === 0 ? [addresses] : ports.map((p) => addresses.map((ip) => joinHostPort(ip, num(p.port) ?? 0)));
    for (const group of pairs) {
      count += group.length;
      for (const entry of group) {
        if (list.length === MAX_SHOWN) {
          more = true;
          break;
        }
        list.push(entry);
      }
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - MAX_SHOWN} more...` : joined;
}

/** core/v1 endpoints: names, table and selectable fields. */
export function endpointsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'endpoints',
    kind: 'Endpoints',
    namespaced: true,
    shortNames: ['ep'],
    table: {
      columns: [nameColumn(), column('Endpoints', 'IP addresses which offer the related ports that are marked as ready.'), ageColumn()],
      cells: (ep, now): TableCell[] => [ep.metadata.name ?? '', formatEndpointsCell(ep), ageSince(ep.metadata.creationTimestamp, now)],
    },
  });
}

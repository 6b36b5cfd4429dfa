import { num, objArray, str, arrayOf } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';

const MAX_SHOWN = 3;

/** listWithMoreString of kubectl's printers: three entries, ` + N more...`, or `<unset>`. */
function listWithMore(all: string[]): string {
  const shown = all.slice(0, MAX_SHOWN).join(',');
  if (all.length > MAX_SHOWN) return `${shown} + ${all.length - MAX_SHOWN} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** formatDiscoveryPorts: each port's number, else its name, else `*`. */
function portsCell(ports: unknown): string {
  return listWithMore(objArray(ports).map((p) => (num(p.port) !== undefined ? String(num(p.port)) : typeof p.name === 'string' ? p.name : '*')));
}

/** formatDiscoveryEndpoints: every address of every endpoint. */
function endpointsCell(endpoints: unknown): string {
  return listWithMore(objArray(endpoints).flatMap((e) => arrayOf(e.addresses).map((a) => str(a))));
}

/** discovery.k8s.io/v1 endpointslices: names, table and selectable fields. */
export function endpointSlicesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'discovery.k8s.io',
    version: 'v1',
    resource: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
    table: {
      columns: [
        nameColumn(),
        column('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
        column('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
        column('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
        ageColumn(),
      ],
      cells: (slice, now): TableCell[] => [
        slice.metadata.name ?? '',
        str(slice.addressType),
        portsCell(slice.ports),
        endpointsCell(slice.endpoints),
        ageSince(slice.metadata.creationTimestamp, now),
      ],
    },
  });
}

import { describe, expect, it } from 'vitest';
import type { AdminApi } from '../admin-api-client.js';
import { layoutTable, nodesAndPodsText, readTable } from './table-text.js';

function apiAnswering(tables: Record<string, unknown>): AdminApi & { accepts: string[] } {
  const accepts: string[] = [];
  return {
    server: 'https://127.0.0.1:1',
    caPem: '',
    accepts,
    call: async (_method, path, _body, headers) => {
      accepts.push(headers?.Accept ?? '');
      const table = tables[path];
      return table === undefined ? { status: 404, body: {} } : { status: 200, body: table };
    },
  };
}

const nodeTable = {
  kind: 'Table',
  columnDefinitions: [{ name: 'Name' }, { name: 'Status' }, { name: 'Roles' }, { name: 'Internal-IP', priority: 1 }],
  rows: [{ cells: ['edge-1', 'Ready', 'edge', '192.0.2.2'] }],
};
const podTable = {
  kind: 'Table',
  columnDefinitions: [{ name: 'Name' }, { name: 'Ready' }, { name: 'Restarts' }, { name: 'Nominated Node', priority: 1 }],
  rows: [{ cells: ['web-1', '1/1', 0, '<none>'] }],
};

describe("outpost up's nodes and pods table", () => {
  it('lays cells out as Go tabwriter does for kubectl: at least 6 wide, 3 spaces of padding, the last column unpadded', () => {
    expect(layoutTable({ headers: ['NAME', 'AGE', 'STATUS', 'INTERNAL-IP'], rows: [['node/edge-1', '5s', 'Ready', '192.0.2.2']] })).toEqual([
      'NAME          AGE   STATUS   INTERNAL-IP',
      'node/edge-1   5s    Ready    192.0.2.2',
    ]);
  });

  it('asks for a Table, upper-cases the headers, shows every column (wide), and prefixes names with their kind', async () => {
    const api = apiAnswering({ '/api/v1/nodes': nodeTable });
    expect(await readTable(api, '/api/v1/nodes', 'node')).toEqual({ headers: ['NAME', 'STATUS', 'ROLES', 'INTERNAL-IP'], rows: [['node/edge-1', 'Ready', 'edge', '192.0.2.2']] });
    expect(api.accepts).toEqual(['application/json;as=Table;v=v1;g=meta.k8s.io']);
  });

  it('puts a blank line between the nodes and the pods, and leaves out what is no Table', async () => {
    const lines = await nodesAndPodsText(apiAnswering({ '/api/v1/nodes': nodeTable, '/api/v1/namespaces/default/pods': podTable }));
    expect(lines).toEqual([
      'NAME          STATUS   ROLES   INTERNAL-IP',
      'node/edge-1   Ready    edge    192.0.2.2',
      '',
      'NAME        READY   RESTARTS   NOMINATED NODE',
      'pod/web-1   1/1     0          <none>',
    ]);
    expect(await nodesAndPodsText(apiAnswering({ '/api/v1/nodes': nodeTable }))).toHaveLength(2);
  });
});

import { ageColumn, ageSince, defineResourceInfo, nameColumn, type ResourceInfo, type TableSpec } from '../../shared/apimachinery/resources/index.js';

/**
 * KubeEdge's device kinds as MetaServer serves them (docs/kubeedge-compat.md § Device API): the
 * names the cloud's built-in CRDs use, and a CRD's default table (name and age), which is what
 * `kubectl get devices` prints against the cloud too.
 */
const GROUP = 'devices.kubeedge.io';
const VERSION = 'v1beta1';

const nameAndAge: TableSpec = {
  columns: [nameColumn(), ageColumn()],
  cells: (obj, now) => [obj.metadata.name ?? '', ageSince(obj.metadata.creationTimestamp, now)],
};

export function deviceResourceInfos(): ResourceInfo[] {
  return [
    defineResourceInfo({ group: GROUP, version: VERSION, resource: 'devices', kind: 'Device', namespaced: true, table: nameAndAge }),
    defineResourceInfo({ group: GROUP, version: VERSION, resource: 'devicemodels', kind: 'DeviceModel', namespaced: true, table: nameAndAge }),
  ];
}

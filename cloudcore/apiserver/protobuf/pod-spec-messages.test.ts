import { describe, expect, it } from 'vitest';
import { builtinSchema, findUnknownFields } from '../schema/index.js';
import { decodeProtobufBody } from './index.js';
import { envelope, type TestField } from './test-helpers.js';

/** A Pod named p whose spec holds `specFields` (protobuf field numbers of core/v1 PodSpec). */
function podSpec(specFields: TestField[]): Record<string, unknown> {
  const result = decodeProtobufBody(envelope('v1', 'Pod', [{ field: 1, message: [{ field: 1, string: 'p' }] }, { field: 2, message: specFields }]));
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  // The JSON names must be the API's: strict field validation would reject anything else.
  const schema = builtinSchema('', 'v1', 'Pod');
  expect(schema).toBeDefined();
  if (schema !== undefined) expect(findUnknownFields(schema, result.value)).toEqual([]);
  return result.value.spec as Record<string, unknown>;
}

const str = (field: number, value: string): TestField => ({ field, string: value });
const flag = (field: number): TestField => ({ field, varint: 1 });
const msg = (field: number, ...fields: TestField[]): TestField => ({ field, message: fields });

describe('PodSpec in protobuf', () => {
  it("decodes what kubectl debug node/x sends: host namespaces, the node's root as a hostPath volume, tolerations", () => {
    const spec = podSpec([
      msg(1, str(1, 'host-root'), msg(2, msg(1, str(1, '/')))),
      msg(2, str(1, 'debugger'), str(2, 'busybox'), msg(9, str(1, 'host-root'), str(3, '/host')), msg(15, flag(2)), flag(16), flag(18), str(20, 'File')),
      str(3, 'Never'),
      str(10, 'node-1'),
      flag(11), flag(12), flag(13),
      msg(22, str(2, 'Exists')),
    ]);
    expect(spec).toEqual({
      volumes: [{ name: 'host-root', hostPath: { path: '/' } }],
      containers: [{ name: 'debugger', image: 'busybox', volumeMounts: [{ name: 'host-root', mountPath: '/host' }], securityContext: { privileged: true }, stdin: true, tty: true, terminationMessagePolicy: 'File' }],
      restartPolicy: 'Never', nodeName: 'node-1', hostNetwork: true, hostPID: true, hostIPC: true, tolerations: [{ operator: 'Exists' }],
    });
  });

  it('puts inline structs beside their neighbours: volume sources, probe handlers, key selectors, ephemeral containers', () => {
    const spec = podSpec([
      msg(1, str(1, 'cfg'), msg(2, msg(19, msg(1, str(1, 'app-config')), msg(2, str(1, 'k'), str(2, 'k.txt'), { field: 3, varint: 0o600 }), { field: 3, varint: 420 }))),
      msg(2, str(1, 'app'), str(2, 'img:1'),
        msg(10, msg(1, msg(2, str(1, '/healthz'), msg(2, { field: 1, varint: 0 }, { field: 2, varint: 8080 }))), { field: 4, varint: 5 }),
        msg(7, str(1, 'MODE'), msg(3, msg(3, msg(1, str(1, 'app-config')), str(2, 'mode')))),
        msg(19, msg(3, msg(1, str(1, 'creds')))),
        msg(12, msg(2, msg(4, { field: 1, varint: 3 })))),
      msg(34, msg(1, str(1, 'debugger-x'), str(2, 'busybox'), flag(16), flag(18)), str(2, 'app')),
      msg(14, { field: 2, varint: 1000 }, { field: 4, varint: 1 }, { field: 4, varint: 2 }, msg(10, str(1, 'RuntimeDefault'))),
      msg(18, msg(1, msg(1, msg(1, msg(1, str(1, 'disk'), str(2, 'In'), str(3, 'ssd')))))),
      msg(26, str(1, '1.1.1.1'), msg(3, str(1, 'ndots'), str(2, '2'))),
      msg(36, str(1, 'linux')),
    ]);
    expect(spec.volumes).toEqual([{ name: 'cfg', configMap: { name: 'app-config', items: [{ key: 'k', path: 'k.txt', mode: 0o600 }], defaultMode: 420 } }]);
    expect(spec.containers).toEqual([{
      name: 'app', image: 'img:1',
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
      env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode' } } }],
      envFrom: [{ secretRef: { name: 'creds' } }],
      lifecycle: { preStop: { sleep: { seconds: 3 } } },
    }]);
    expect(spec.ephemeralContainers).toEqual([{ name: 'debugger-x', image: 'busybox', stdin: true, tty: true, targetContainerName: 'app' }]);
    expect(spec.securityContext).toEqual({ runAsUser: 1000, supplementalGroups: [1, 2], seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } });
    expect(spec.dnsConfig).toEqual({ nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] });
    expect(spec.os).toEqual({ name: 'linux' });
  });
});

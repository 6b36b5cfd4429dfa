import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { cloneJson } from '../../../../shared/json/index.js';
import { create, messages } from '../common/test-helpers.js';
import { podsResource, validatePodEphemeralContainersUpdate } from './pods.js';

const pods = podsResource();

function livePod(): KubeObject {
  const { obj, errors } = create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'busybox:1' }], initContainers: [{ name: 'setup', image: 'busybox:1' }] } });
  expect(errors).toEqual([]);
  return obj;
}

/** What the subresource writes: the live pod with these ephemeral containers, defaulted. */
function withEphemeral(old: KubeObject, list: Record<string, unknown>[]): KubeObject {
  const next = cloneJson(old);
  (next.spec as Record<string, unknown>).ephemeralContainers = list;
  pods.applyDefaults(next);
  return next;
}

const debuggerContainer = { name: 'debugger-abc', image: 'busybox:1', targetContainerName: 'app', stdin: true, tty: true, command: ['sh'] };

describe('ephemeral containers', () => {
  it('an added one is defaulted as containers are, and valid', () => {
    const next = withEphemeral(livePod(), [debuggerContainer]);
    expect((next.spec as { ephemeralContainers: unknown[] }).ephemeralContainers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    expect(messages(validatePodEphemeralContainersUpdate(next, livePod()))).toEqual([]);
  });

  it('names are unique across every container of the pod, and the target must be a regular or init container', () => {
    const old = livePod();
    const next = withEphemeral(old, [{ name: 'app', image: 'busybox:1' }, { name: 'setup', image: 'busybox:1' }, { name: 'd', image: 'busybox:1', targetContainerName: 'nosuch' }, { name: 'd', image: 'busybox:1' }]);
    expect(messages(validatePodEphemeralContainersUpdate(next, old))).toEqual([
      'spec.ephemeralContainers[0].name: Duplicate value: "app"',
      'spec.ephemeralContainers[1].name: Duplicate value: "setup"',
      'spec.ephemeralContainers[2].targetContainerName: Not found: "nosuch"',
      'spec.ephemeralContainers[3].name: Duplicate value: "d"',
    ]);
  });

  it('ports, resources, probes, lifecycle, restartPolicy and subPaths cannot be set', () => {
    const old = livePod();
    (old.spec as Record<string, unknown>).volumes = [{ name: 'v', emptyDir: {} }];
    const next = withEphemeral(old, [{
      name: 'd', image: 'busybox:1', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } }, readinessProbe: { exec: { command: ['true'] } },
      lifecycle: { preStop: { exec: { command: ['true'] } } }, restartPolicy: 'Always', volumeMounts: [{ name: 'v', mountPath: '/v', subPath: 'x' }],
    }]);
    const found = messages(validatePodEphemeralContainersUpdate(next, old));
    for (const field of ['ports', 'resources', 'readinessProbe', 'lifecycle', 'restartPolicy', 'volumeMounts[0].subPath']) {
      expect(found).toContain(`spec.ephemeralContainers[0].${field}: Forbidden: cannot be set for an Ephemeral Container`);
    }
    // An empty resources object is Go's zero value, which kubectl debug always sends.
    expect(messages(validatePodEphemeralContainersUpdate(withEphemeral(livePod(), [{ name: 'd', image: 'busybox:1', resources: {} }]), livePod()))).toEqual([]);
  });

  it('existing ones may not be changed or removed', () => {
    const old = withEphemeral(livePod(), [debuggerContainer]);
    const changed = withEphemeral(old, [{ ...debuggerContainer, image: 'busybox:2' }]);
    const [message] = messages(validatePodEphemeralContainersUpdate(changed, old));
    expect(message).toMatch(/^spec\.ephemeralContainers\[debugger-abc\]: Forbidden: existing ephemeral containers "debugger-abc" may not be changed\n/);
    expect(message).toContain('- \tImage: "busybox:1",\n+ \tImage: "busybox:2",');
    expect(messages(validatePodEphemeralContainersUpdate(withEphemeral(old, []), old))).toEqual(['spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger-abc" may not be removed\n']);
  });

  it('cannot be set on create, nor through a plain pod update', () => {
    const created = create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'busybox:1' }], ephemeralContainers: [{ name: 'd', image: 'busybox:1' }] } });
    expect(created.errors).toEqual(['spec.ephemeralContainers: Forbidden: cannot be set on create']);
    const old = livePod();
    const update = messages(pods.validateUpdate(withEphemeral(old, [debuggerContainer]), old));
    expect(update).toHaveLength(1);
    expect(update[0]).toMatch(/^spec: Forbidden: pod updates may not change fields other than/);
    expect(update[0]).toContain('EphemeralContainers: nil,');
  });
});

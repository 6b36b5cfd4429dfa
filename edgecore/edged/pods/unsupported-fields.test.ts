import { describe, expect, it } from 'vitest';
import { refusalFor, unsupportedFields } from './unsupported-fields.js';

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) {
  return { metadata: { name: 'p', namespace: 'default', uid: 'u1', ...metadata }, spec: { containers: [{ name: 'c', image: 'img:1' }], ...spec } };
}

describe('unsupportedFields', () => {
  it('flags nothing in a pod the edge runs as written (volumes are the volume manager\'s)', () => {
    const plain = pod({
      hostNetwork: true, restartPolicy: 'Always', terminationGracePeriodSeconds: 5, volumes: [{ name: 'v', nfs: { server: 's', path: '/' } }],
      securityContext: { runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'Unconfined' } },
      containers: [{ name: 'c', image: 'img:1', volumeMounts: [{ name: 'v', mountPath: '/v' }], livenessProbe: { exec: { command: ['true'] } } }],
      ephemeralContainers: [{ name: 'debug', image: 'img:1', targetContainerName: 'c', stdin: true, tty: true }],
    });
    expect(unsupportedFields(plain)).toEqual([]);
  });

  it('names each field, and says the pod runs without it', () => {
    const fields = unsupportedFields(
      pod({
        containers: [{ name: 'c', image: 'img:1', securityContext: { seccompProfile: { type: 'RuntimeDefault' }, seLinuxOptions: { level: 's0' } }, resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }],
        ephemeralContainers: [{ name: 'debug', image: 'img:1', securityContext: { seLinuxOptions: { level: 's0' } } }],
        hostAliases: [{ ip: '1.2.3.4', hostnames: ['x'] }],
      }),
    );
    expect(fields.map((f) => f.message)).toEqual([
      'spec.hostAliases is not supported on this edge node; the pod runs without it',
      'spec.containers[0].resizePolicy (in-place resize) is not supported on this edge node; the pod runs without it',
      'spec.containers[0].securityContext.seccompProfile (RuntimeDefault) is not supported on this edge node; the pod runs without it',
      'spec.containers[0].securityContext.seLinuxOptions is not supported on this edge node; the pod runs without it',
      'spec.ephemeralContainers[0].securityContext.seLinuxOptions is not supported on this edge node; the pod runs without it',
    ]);
    expect(fields.every((f) => f.refuses === undefined)).toBe(true);
  });

  it('refuses to start what would run weaker or broken without the field', () => {
    const fields = unsupportedFields(
      pod(
        {
          hostUsers: false,
          initContainers: [{ name: 'side', image: 'img:1', restartPolicy: 'Always' }],
          containers: [{ name: 'c', image: 'img:1' }, { name: 'd', image: 'img:1', securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }],
        },
        { annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'localhost/strict' } },
      ),
    );
    expect(refusalFor(fields, 'c')).toContain('spec.hostUsers (false: user namespaces) is not supported on this edge node; its containers are not started');
    expect(refusalFor(fields, 'c')).toContain('metadata.annotations[container.apparmor.security.beta.kubernetes.io/c] (localhost/strict)');
    expect(refusalFor(fields, 'side')).toContain('spec.initContainers[0].restartPolicy (Always: a sidecar container) is not supported on this edge node; the container is not started');
    expect(refusalFor(fields, 'd')).toContain('spec.containers[1].securityContext.appArmorProfile (RuntimeDefault)');
    const onlySidecar = unsupportedFields(pod({ initContainers: [{ name: 'side', image: 'img:1', restartPolicy: 'Always' }] }));
    expect(refusalFor(onlySidecar, 'c')).toBeUndefined();
  });
});

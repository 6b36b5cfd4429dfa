import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { create, messages } from '../common/test-helpers.js';
import { podsResource } from './pods.js';
import { computeQosClass } from './pod-status.js';
import { defaultPullPolicy } from './container-defaults.js';

const pods = podsResource();

function pod(spec: Record<string, unknown>, name = 'web'): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec };
}

describe('pod defaults', () => {
  it('fills what a real API server returns for a minimal pod', () => {
    const { obj, errors } = create(pods, pod({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] }));
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      containers: [
        {
          name: 'web',
          image: 'nginx',
          imagePullPolicy: 'Always',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: 'default',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
    });
    // No DefaultTolerationSeconds: eviction from unreachable nodes is opt-in in Outpost.
    expect((obj.spec as Record<string, unknown>).tolerations).toBeUndefined();
    expect(obj.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('chooses the pull policy from the tag', () => {
    expect(defaultPullPolicy('nginx')).toBe('Always');
    expect(defaultPullPolicy('nginx:latest')).toBe('Always');
    expect(defaultPullPolicy('nginx:1.27')).toBe('IfNotPresent');
    expect(defaultPullPolicy('localhost:5000/app')).toBe('Always');
    expect(defaultPullPolicy('localhost:5000/app:v1')).toBe('IfNotPresent');
    expect(defaultPullPolicy('busybox@sha256:abcd')).toBe('IfNotPresent');
  });

  it('defaults probes, env field refs, volumes and copies limits to requests', () => {
    const { obj } = create(
      pods,
      pod({
        containers: [
          {
            name: 'app',
            image: 'app:v1',
            livenessProbe: { httpGet: { port: 8080 } },
            env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
            resources: { limits: { cpu: '500m', memory: '128Mi' } },
            volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
          },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'scratch' }],
      }),
    );
    const c = (obj.spec as { containers: Array<Record<string, unknown>> }).containers[0];
    expect(c?.livenessProbe).toEqual({
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(c?.env).toEqual([{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }]);
    expect(c?.resources).toEqual({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
    expect((obj.spec as { volumes: unknown }).volumes).toEqual([
      { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
      { name: 'scratch', emptyDir: {} },
    ]);
    expect((obj.status as { qosClass: string }).qosClass).toBe('Guaranteed');
  });

  it('keeps the tolerations a pod brings and adds none (eviction is opt-in)', () => {
    const own = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }];
    const { obj } = create(pods, pod({ containers: [{ name: 'a', image: 'a' }], tolerations: own }));
    expect((obj.spec as { tolerations: unknown[] }).tolerations).toEqual(own);
    expect((create(pods, pod({ containers: [{ name: 'a', image: 'a' }], tolerations: [{ operator: 'Exists' }] })).obj.spec as { tolerations: unknown[] }).tolerations).toEqual([
      { operator: 'Exists' },
    ]);
  });

  it('applyDefaults is idempotent', () => {
    const { obj } = create(pods, pod({ containers: [{ name: 'a', image: 'a' }] }));
    const again = structuredClone(obj);
    pods.applyDefaults(again);
    expect(again).toEqual(obj);
  });
});

describe('QoS class', () => {
  it('computes BestEffort, Burstable and Guaranteed', () => {
    expect(computeQosClass({ containers: [{}] })).toBe('BestEffort');
    expect(computeQosClass({ containers: [{ resources: { requests: { cpu: '100m' } } }] })).toBe('Burstable');
    expect(computeQosClass({ containers: [{ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1Gi' } } }] })).toBe(
      'Guaranteed',
    );
    expect(computeQosClass({ containers: [{ resources: { requests: { cpu: '1' }, limits: { cpu: '1' } } }] })).toBe('Burstable');
  });
});

describe('pod validation', () => {
  it('requires containers and images', () => {
    expect(create(pods, pod({})).errors).toEqual(['spec.containers: Required value']);
    expect(create(pods, pod({ containers: [{ name: 'a' }] })).errors).toEqual(['spec.containers[0].image: Required value']);
  });

  it('rejects a bad name with the RFC 1123 text', () => {
    const { errors } = create(pods, pod({ containers: [{ name: 'a', image: 'a' }] }, 'Bad_Name'));
    expect(errors).toEqual([
      'metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    ]);
  });

  it('checks container names, ports, protocols, mounts, volumes and resources', () => {
    const { errors } = create(
      pods,
      pod({
        containers: [
          {
            name: 'a',
            image: 'x',
            ports: [{ containerPort: 70000, protocol: 'ICMP' }],
            volumeMounts: [{ name: 'missing', mountPath: '/m' }],
            resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
            env: [{ name: 'A=B', value: '1' }],
          },
          { name: 'a', image: 'y' },
          { name: 'Bad', image: 'z' },
        ],
        volumes: [
          { name: 'v', emptyDir: {}, hostPath: { path: '/x' } },
          { name: 'v', emptyDir: {} },
        ],
        restartPolicy: 'Sometimes',
      }),
    );
    expect(errors).toEqual([
      'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[1].name: Duplicate value: "v"',
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
      'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      'spec.containers[1].name: Duplicate value: "a"',
      expect.stringMatching(/^spec\.containers\[2\]\.name: Invalid value: "Bad": a lowercase RFC 1123 label must consist/),
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });
});

describe('pod updates', () => {
  const base = create(pods, pod({ containers: [{ name: 'a', image: 'nginx:1' }], tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] })).obj;

  function update(change: (p: KubeObject) => void): string[] {
    const next = structuredClone(base);
    change(next);
    pods.applyDefaults(next);
    return messages(pods.validateUpdate(next, base));
  }

  it('allows image changes and added tolerations', () => {
    expect(
      update((p) => {
        const spec = p.spec as { containers: Array<{ image: string }>; tolerations: unknown[] };
        spec.containers[0]!.image = 'nginx:2';
        spec.tolerations.push({ key: 'k', operator: 'Exists', effect: 'NoSchedule' });
      }),
    ).toEqual([]);
  });

  it('forbids other spec changes with the Kubernetes text', () => {
    const errs = update((p) => {
      (p.spec as Record<string, unknown>).nodeSelector = { disk: 'ssd' };
    });
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(
      /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
    );
    // Then the diff of the specs, laid out as the API server's cmp.Diff of core.PodSpec.
    expect(errs[0]).toMatch(/\n  core\.PodSpec\{\n  \t\.\.\. \/\/ \d+ identical fields\n- \tNodeSelector: nil,\n\+ \tNodeSelector: \{"disk":"ssd"\},\n  \}\n$/);
  });

  it('rejects removing an image, removing tolerations and adding containers', () => {
    expect(update((p) => void delete (p.spec as { containers: Array<Record<string, unknown>> }).containers[0]!.image)).toContain(
      'spec.containers[0].image: Required value',
    );
    expect(update((p) => void (p.spec as { tolerations: unknown[] }).tolerations.pop())).toEqual([
      'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
    ]);
    expect(update((p) => void (p.spec as { containers: unknown[] }).containers.push({ name: 'b', image: 'b' }))).toEqual([
      'spec.containers: Forbidden: pod updates may not add or remove containers',
    ]);
  });

  it('validates status updates', () => {
    const next = structuredClone(base);
    next.status = { phase: 'Sleeping', qosClass: 'BestEffort' };
    expect(messages(pods.validateStatusUpdate(next, base))).toEqual([
      'status.phase: Unsupported value: "Sleeping": supported values: "Pending", "Running", "Succeeded", "Failed", "Unknown"',
    ]);
    next.status = { phase: 'Running', qosClass: 'Guaranteed' };
    expect(messages(pods.validateStatusUpdate(next, base))).toEqual(['status.qosClass: Invalid value: "Guaranteed": field is immutable']);
  });

  it('exposes selectable fields', () => {
    expect(pods.selectableFields(base)).toMatchObject({ 'spec.nodeName': '', 'status.phase': 'Pending', 'spec.hostNetwork': 'false', 'spec.serviceAccountName': 'default' });
  });
});

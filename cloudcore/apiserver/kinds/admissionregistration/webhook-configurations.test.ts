import { describe, expect, it } from 'vitest';
import { create } from '../common/test-helpers.js';
import { mutatingWebhookConfigurationsResource, validatingWebhookConfigurationsResource } from './webhook-configurations.js';

const now = new Date('2025-01-01T00:10:00Z');
const hook = {
  name: 'pods.example.com', clientConfig: { service: { name: 'hooks', namespace: 'default' } }, sideEffects: 'None', admissionReviewVersions: ['v1'],
  rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
};

describe('webhook configurations', () => {
  it('default like Kubernetes and print the webhook count', () => {
    const mutating = mutatingWebhookConfigurationsResource();
    const { obj, errors } = create(mutating, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'm' }, webhooks: [hook] });
    expect(errors).toEqual([]);
    expect((obj.webhooks as unknown[])[0]).toEqual({
      ...hook, clientConfig: { service: { name: 'hooks', namespace: 'default', port: 443 } },
      rules: [{ ...hook.rules[0], scope: '*' }],
      failurePolicy: 'Fail', matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, timeoutSeconds: 10, reinvocationPolicy: 'Never',
    });
    expect(mutating.table.cells(obj, now)).toEqual(['m', 1, '10m']);
  });

  it('validate names, client config, side effects and timeouts', () => {
    const validating = validatingWebhookConfigurationsResource();
    const bad = { name: 'short', clientConfig: {}, admissionReviewVersions: ['v2'], timeoutSeconds: 31, rules: [{ operations: ['PATCH'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }] };
    const { errors } = create(validating, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'v' }, webhooks: [bad, hook, hook] });
    expect(errors).toEqual([
      'webhooks[0].name: Invalid value: "short": should be a domain with at least three segments separated by dots',
      'webhooks[0].clientConfig: Required value: exactly one of url or service is required',
      'webhooks[0].rules[0].operations[0]: Unsupported value: "PATCH": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
      'webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1',
      'webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun',
      'webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds',
      'webhooks[2].name: Duplicate value: "pods.example.com"',
    ]);
  });
});

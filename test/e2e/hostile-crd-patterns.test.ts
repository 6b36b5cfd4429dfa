import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { waitFor } from '../helpers/poll.js';

/**
 * A CRD's `pattern` is third-party input (docs/limits.md § API, "CRD patterns"): a pattern that
 * makes a backtracking engine take exponential time must not freeze a real cloudcore, and
 * patterns RE2 cannot run in linear time are refused when the CRD is created.
 */
let cloud: CloudProcess;
let api: ReturnType<typeof rawClient>;

beforeAll(async () => {
  cloud = await startCloud();
  api = rawClient(readKubeconfig(cloud.kubeconfig));
});
afterAll(async () => {
  await cloud?.stop();
});

function crdWithPattern(plural: string, pattern: string): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.hostile.example.com` },
    spec: {
      group: 'hostile.example.com',
      scope: 'Namespaced',
      names: { plural, kind: `${plural[0]?.toUpperCase()}${plural.slice(1, -1)}` },
      versions: [{
        name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { word: { type: 'string', pattern } } } } } },
      }],
    },
  };
}

describe('CRD patterns', () => {
  it('answers an object against ^(a+)+$ with 422 while /healthz keeps answering', async () => {
    expect((await api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crdWithPattern('evils', '^(a+)+$'))).status).toBe(201);
    const collection = '/apis/hostile.example.com/v1/namespaces/default/evils';
    await waitFor(async () => ((await api('GET', collection)).status === 200 ? true : undefined), { timeoutMs: 20_000, intervalMs: 100, description: 'the CRD to be served' });
    const hostile = { apiVersion: 'hostile.example.com/v1', kind: 'Evil', metadata: { name: 'evil' }, spec: { word: `${'a'.repeat(38)}!` } };
    // Both requests go out together: a backtracking match would hold the event loop and /healthz
    // would not come back before the test's timeout.
    const [created, health] = await Promise.all([api('POST', collection, hostile), api('GET', '/healthz')]);
    expect(health.status).toBe(200);
    expect(created.status).toBe(422);
    expect(created.json<{ message: string }>().message).toContain("spec.word in body should match '^(a+)+$'");
    const fine = { ...hostile, metadata: { name: 'fine' }, spec: { word: 'a'.repeat(38) } };
    expect((await api('POST', collection, fine)).status).toBe(201);
  });

  it.each([
    ['(a)\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
  ])('refuses the pattern %s at CRD create with 422', async (pattern, reason) => {
    const res = await api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crdWithPattern('refuseds', pattern));
    expect(res.status).toBe(422);
    const status = res.json<{ reason: string; message: string }>();
    expect(status.reason).toBe('Invalid');
    expect(status.message).toContain(
      `spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[word].pattern: Invalid value: ${JSON.stringify(pattern)}: must be a valid regular expression, but isn't: ${reason}`,
    );
  });
});

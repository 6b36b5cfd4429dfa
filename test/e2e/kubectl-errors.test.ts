import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { configMapObject, deploymentObject, manifest, namespaceObject, podObject } from '../helpers/kubectl-e2e.js';

/**
 * The errors a real kubectl 1.32 prints from our Status responses must read exactly as against
 * Kubernetes. (Unauthorized and Forbidden are covered in auth.test.ts.)
 */
const NS = 'errs';
let cloud: CloudProcess;
let kubectl: Kubectl;

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
  await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject(NS)) });
});

afterAll(async () => {
  await cloud?.stop();
});

async function fails(args: string[], stdin?: string): Promise<string> {
  const result = await kubectl(args, stdin === undefined ? {} : { stdin });
  expect(result.code, `kubectl ${args.join(' ')} should fail:\n${result.stdout}`).not.toBe(0);
  return result.stderr;
}

describe('kubectl error messages', () => {
  it('NotFound', async () => {
    expect(await fails(['get', 'pod', 'nope', '-n', NS])).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(await fails(['get', 'deployment', 'nope', '-n', NS])).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(await fails(['delete', 'configmap', 'nope', '-n', NS])).toBe('Error from server (NotFound): configmaps "nope" not found\n');
    // kubectl 1.32 looks the namespace up after a 404 and names it when it is the one missing.
    expect(await fails(['get', 'pods', '-n', 'ghost-ns', 'x'])).toBe('Error from server (NotFound): namespaces "ghost-ns" not found\n');
    expect(await fails(['create', '-f', '-'], manifest(configMapObject('ghost-ns', 'c', { a: '1' })))).toBe(
      'Error from server (NotFound): error when creating "STDIN": namespaces "ghost-ns" not found\n',
    );
  });

  it('AlreadyExists', async () => {
    const pod = manifest(podObject(NS, 'dup'));
    await kubectl.ok(['create', '-f', '-'], { stdin: pod });
    expect(await fails(['create', '-f', '-'], pod)).toBe('Error from server (AlreadyExists): error when creating "STDIN": pods "dup" already exists\n');
    const deployment = manifest(deploymentObject(NS, 'dup', { replicas: 1 }));
    await kubectl.ok(['create', '-f', '-'], { stdin: deployment });
    expect(await fails(['create', '-f', '-'], deployment)).toBe(
      'Error from server (AlreadyExists): error when creating "STDIN": deployments.apps "dup" already exists\n',
    );
  });

  it('Invalid, with the field path', async () => {
    const bad = podObject(NS, 'bad');
    ((bad.spec as { containers: Record<string, unknown>[] }).containers[0] ?? {}).image = '';
    expect(await fails(['create', '-f', '-'], manifest(bad))).toBe(
      'The Pod "bad" is invalid: spec.containers[0].image: Required value\n',
    );
    const badReplicas = deploymentObject(NS, 'bad', { replicas: -1 });
    expect(await fails(['apply', '-f', '-'], manifest(badReplicas))).toBe(
      'The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    );
  });

  it('Invalid with several causes lists them all', async () => {
    const bad = podObject(NS, 'Bad_Name');
    ((bad.spec as { containers: Record<string, unknown>[] }).containers[0] ?? {}).image = '';
    const stderr = await fails(['create', '-f', '-'], manifest(bad));
    expect(stderr).toMatch(/^The Pod "Bad_Name" is invalid: \n\* metadata\.name: Invalid value: "Bad_Name": /);
    expect(stderr).toContain('* spec.containers[0].image: Required value');
  });

  it('Conflict on replace with a stale resourceVersion', async () => {
    await kubectl.ok(['create', '-f', '-'], { stdin: manifest(configMapObject(NS, 'racy', { v: '1' })) });
    const stale = await kubectl.ok(['get', 'cm', 'racy', '-n', NS, '-o', 'json']);
    await kubectl.ok(['label', 'cm', 'racy', '-n', NS, 'bumped=yes']);
    const edited = JSON.parse(stale) as { data: Record<string, string> };
    edited.data.v = '2';
    expect(await fails(['replace', '-f', '-'], JSON.stringify(edited))).toBe(
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "racy": the object has been modified; please apply your changes to the latest version and try again\n',
    );
    expect(await kubectl.ok(['get', 'cm', 'racy', '-n', NS, '-o', 'jsonpath={.data.v}'])).toBe('1');
  });

  it('unknown fields are rejected in strict decoding', async () => {
    const pod = podObject(NS, 'strict');
    (pod.spec as Record<string, unknown>).bogus = true;
    expect(await fails(['create', '-f', '-'], manifest(pod))).toBe(
      'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.bogus"\n',
    );
    const deployment = deploymentObject(NS, 'strict');
    (deployment.spec as Record<string, unknown>).bogus = 1;
    (deployment.metadata as Record<string, unknown>).alsoBogus = 'x';
    const applied = await fails(['apply', '-f', '-'], manifest(deployment));
    expect(applied).toContain('Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ');
    expect(applied).toContain('unknown field "metadata.alsoBogus"');
    expect(applied).toContain('unknown field "spec.bogus"');
    // --validate=false turns strict validation off: the field is dropped.
    expect(await kubectl.ok(['create', '--validate=false', '-f', '-'], { stdin: manifest(pod) })).toBe('pod/strict created\n');
    expect(await kubectl.ok(['get', 'pod', 'strict', '-n', NS, '-o', 'json'])).not.toContain('bogus');
  });

  it('a resource kind the server does not serve', async () => {
    expect(await fails(['get', 'widgets'])).toBe('error: the server doesn\'t have a resource type "widgets"\n');
  });
});

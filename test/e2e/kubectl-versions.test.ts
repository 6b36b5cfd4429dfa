import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl } from '../helpers/kubectl.js';
import { configMapObject, deploymentObject, eventually, manifest, namespaceObject, podObject } from '../helpers/kubectl-e2e.js';

/**
 * The oldest and newest kubectl we support against the same server. kubectl 1.27–1.29 ask only for
 * aggregated discovery v2beta1 (1.30+ ask for v2 first); 1.27 and 1.28 read `/openapi/v2` (as
 * protobuf) to learn that the server validates fields, 1.29+ read `/openapi/v3`; 1.27 prints
 * `version` differently.
 */
let cloud: CloudProcess;

beforeAll(async () => {
  cloud = await startCloud();
});

afterAll(async () => {
  await cloud?.stop();
});

describe.each(['1.27', '1.29', '1.33'])('kubectl %s', (version) => {
  const ns = `v${version.replace('.', '-')}`;

  it('version, apply, get, get -o wide, delete', async () => {
    const kubectl = createKubectl(cloud.kubeconfig, version);
    const versionOut = await kubectl.ok(['version']);
    if (version === '1.27') expect(versionOut).toMatch(/^Server Version: version\.Info\{Major:"1", Minor:"32", GitVersion:"v1\.32\.0\+outpost-/m);
    else expect(versionOut).toMatch(/^Server Version: v1\.32\.0\+outpost-\S+$/m);

    const resources = await kubectl.ok(['api-resources']);
    expect(resources).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);

    const objects = manifest(namespaceObject(ns), configMapObject(ns, 'conf', { a: '1' }), podObject(ns, 'web'), deploymentObject(ns, 'app', { replicas: 2 }));
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: objects })).toBe(
      `namespace/${ns} created\nconfigmap/conf created\npod/web created\ndeployment.apps/app created\n`,
    );
    const changed = manifest(namespaceObject(ns), configMapObject(ns, 'conf', { a: '2' }), podObject(ns, 'web'), deploymentObject(ns, 'app', { replicas: 2 }));
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: changed })).toBe(
      `namespace/${ns} unchanged\nconfigmap/conf configured\npod/web unchanged\ndeployment.apps/app unchanged\n`,
    );

    // Validation is left to the server (strict), not done by kubectl from a schema.
    const bogus = configMapObject(ns, 'bogus', { a: '1' });
    bogus.bogus = true;
    const rejected = await kubectl(['apply', '-f', '-'], { stdin: manifest(bogus) });
    expect(rejected.stderr).toContain(
      'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"',
    );

    const pods = await kubectl.ok(['get', 'po', '-n', ns]);
    expect(pods).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(pods).toMatch(/^web\s+0\/1\s+Pending\s+0\s+[0-9smhd]+$/m);
    // The deployment controller creates app's 2 pods (up to date, never available: no node runs them).
    let wide = '';
    await eventually(async () => {
      wide = await kubectl.ok(['get', 'deploy', '-n', ns, '-o', 'wide']);
      return /^app\s+0\/2\s+2\s+0\s+/m.test(wide);
    }, 'app to show 2 up-to-date pods', 60_000);
    expect(wide).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
    expect(wide).toMatch(/^app\s+0\/2\s+2\s+0\s+[0-9smhd]+\s+web\s+nginx:1\.27\s+app=app$/m);
    expect(await kubectl.ok(['get', 'cm', 'conf', '-n', ns, '-o', 'jsonpath={.data.a}'])).toBe('2');

    const missing = await kubectl(['get', 'pod', 'nope', '-n', ns]);
    expect(missing.stderr).toContain('Error from server (NotFound): pods "nope" not found');

    expect(await kubectl.ok(['delete', 'pod', 'web', '-n', ns])).toBe('pod "web" deleted\n');
    expect(await kubectl.ok(['delete', 'namespace', ns])).toBe(`namespace "${ns}" deleted\n`);
    expect((await kubectl(['get', 'namespace', ns])).stderr).toContain(`namespaces "${ns}" not found`);
  });
});

import { BUSYBOX_IMAGE } from '../edgecore/edged/images/index.js';
import { OutpostError } from '../shared/errors.js';
import { createIfAbsent, openAdminApi } from './admin-api-client.js';

export const DEMO_POD = 'hello-edge';
export const DEMO_PORT = 8080;

/** The demo: busybox's httpd on the edge, serving a page that names the node it runs on. */
export function demoPodManifest(nodeName: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: DEMO_POD, namespace: 'default', labels: { app: DEMO_POD } },
    spec: {
      nodeName,
      containers: [
        {
          name: 'web',
          image: BUSYBOX_IMAGE,
          command: ['sh', '-c', `mkdir -p /www && echo "Hello from Outpost edge node $NODE_NAME (pod $POD_NAME)" > /www/index.html && exec httpd -f -p ${DEMO_PORT} -h /www`],
          env: [
            { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          ports: [{ name: 'http', containerPort: DEMO_PORT }],
          resources: { limits: { memory: '16Mi', cpu: '100m' } },
        },
      ],
    },
  };
}

/** Creates the demo pod unless it exists (an earlier run made it, or the user replaced it). */
export async function ensureDemoPod(kubeconfig: string, nodeName: string): Promise<'created' | 'exists'> {
  const api = await openAdminApi(kubeconfig);
  const answer = await createIfAbsent(api, '/api/v1/namespaces/default/pods', demoPodManifest(nodeName));
  if (answer.outcome !== 'refused') return answer.outcome;
  throw new OutpostError('Internal', `creating the demo pod: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
}

/**
 * `outpost up`'s demo apps (docs/quickstart.md § The demo): a small web app as a Deployment with a
 * Service, and an agent as a DaemonSet on every edge. Each is created unless it exists, so an
 * earlier run's objects, and whatever the user changed in them (replicas, image), win.
 */
import { BUSYBOX_IMAGE } from '../../edgecore/edged/images/index.js';
import { OutpostError } from '../../shared/errors.js';
import { createIfAbsent, statusMessage, type AdminApi } from '../admin-api-client.js';

export const DEMO_NAMESPACE = 'default';
export const WEB_APP = 'web';
export const WEB_REPLICAS = 2;
export const WEB_PORT = 8080;
export const EDGE_AGENT = 'edge-agent';
/** Every demo object carries it, so `kubectl get all -l app.kubernetes.io/part-of=outpost-demo` finds them. */
export const DEMO_LABEL = { 'app.kubernetes.io/part-of': 'outpost-demo' };

/** The node and pod names from the downward API (Kubernetes' fieldRef). */
const NAMES_ENV = [
  { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
];

function podTemplate(app: string, container: Record<string, unknown>): Record<string, unknown> {
  return {
    metadata: { labels: { app, ...DEMO_LABEL } },
    spec: { terminationGracePeriodSeconds: 5, containers: [{ image: BUSYBOX_IMAGE, env: NAMES_ENV, resources: { limits: { memory: '16Mi', cpu: '100m' } }, ...container }] },
  };
}

/** busybox's httpd serving one page that names the node and pod it runs on. */
export function webDeployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: WEB_APP, namespace: DEMO_NAMESPACE, labels: { app: WEB_APP, ...DEMO_LABEL } },
    spec: {
      replicas: WEB_REPLICAS,
      selector: { matchLabels: { app: WEB_APP } },
      template: podTemplate(WEB_APP, {
        name: 'httpd',
        command: ['sh', '-c', `mkdir -p /www && echo "Hello from Outpost edge node $NODE_NAME (pod $POD_NAME)" > /www/index.html && exec httpd -f -p ${WEB_PORT} -h /www`],
        ports: [{ name: 'http', containerPort: WEB_PORT }],
      }),
    },
  };
}

export function webService(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: WEB_APP, namespace: DEMO_NAMESPACE, labels: { app: WEB_APP, ...DEMO_LABEL } },
    spec: { selector: { app: WEB_APP }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

/**
 * A node agent: one pod per edge printing its node's name and uptime every 10 s (`kubectl logs
 * ds/edge-agent`). Backticks, not `$(…)`, for the shell: Kubernetes expands `$(NAME)` in commands.
 */
export function edgeAgentDaemonSet(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: EDGE_AGENT, namespace: DEMO_NAMESPACE, labels: { app: EDGE_AGENT, ...DEMO_LABEL } },
    spec: {
      selector: { matchLabels: { app: EDGE_AGENT } },
      template: podTemplate(EDGE_AGENT, {
        name: 'agent',
        command: ['sh', '-c', 'while true; do echo "`date -u +%H:%M:%S` node $NODE_NAME pod $POD_NAME up `cut -d. -f1 /proc/uptime` s"; sleep 10; done'],
      }),
    },
  };
}

const COLLECTIONS: Array<[string, () => Record<string, unknown>]> = [
  [`/apis/apps/v1/namespaces/${DEMO_NAMESPACE}/deployments`, webDeployment],
  [`/api/v1/namespaces/${DEMO_NAMESPACE}/services`, webService],
  [`/apis/apps/v1/namespaces/${DEMO_NAMESPACE}/daemonsets`, edgeAgentDaemonSet],
];

/** Creates each demo object unless it exists; returns how many were created (0 on a later run). */
export async function ensureDemoWorkloads(api: AdminApi): Promise<{ created: number; existing: number }> {
  let created = 0;
  let existing = 0;
  for (const [path, manifest] of COLLECTIONS) {
    const object = manifest();
    const answer = await createIfAbsent(api, path, object);
    if (answer.outcome === 'refused') throw new OutpostError('Internal', `creating the demo ${String(object.kind)}: HTTP ${answer.status} ${statusMessage(answer.body)}`);
    if (answer.outcome === 'created') created++;
    else existing++;
  }
  return { created, existing };
}

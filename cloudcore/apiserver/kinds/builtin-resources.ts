import { daemonSetsResource } from './apps/daemonsets.js';
import { deploymentsResource } from './apps/deployments.js';
import { replicaSetsResource } from './apps/replicasets.js';
import { statefulSetsResource } from './apps/statefulsets.js';
import { cronJobsResource } from './batch/cronjobs.js';
import { jobsResource } from './batch/jobs.js';
import { certificateSigningRequestsResource } from './certificates/certificatesigningrequests.js';
import { leasesResource } from './coordination/leases.js';
import { configMapsResource } from './core/configmaps.js';
import { endpointsResource } from './core/endpoints.js';
import { eventsResource } from './core/events.js';
import { namespacesResource } from './core/namespaces.js';
import { replicationControllersResource } from './core/replicationcontrollers.js';
import { nodesResource } from './core/nodes.js';
import { secretsResource } from './core/secrets.js';
import { serviceAccountsResource } from './core/serviceaccounts.js';
import { servicesResource } from './core/services.js';
import { endpointSlicesResource } from './discovery/endpointslices.js';
import { podsResource } from './pod/pods.js';
import { clusterRoleBindingsResource, roleBindingsResource } from './rbac/bindings.js';
import { clusterRolesResource, rolesResource } from './rbac/roles.js';
import { podDisruptionBudgetsResource } from './policy/poddisruptionbudgets.js';
import type { ResourceDefinition } from './types.js';
import { chartResources } from './chart-resources.js';
import { reviewResources } from '../reviews/review-resources.js';

/** Every built-in kind the API serves, core group first, each a fresh definition. */
export function builtinResources(): ResourceDefinition[] {
  return [
    namespacesResource(),
    nodesResource(),
    podsResource(),
    configMapsResource(),
    secretsResource(),
    servicesResource(),
    endpointsResource(),
    replicationControllersResource(),
    eventsResource(),
    serviceAccountsResource(),
    leasesResource(),
    deploymentsResource(),
    replicaSetsResource(),
    daemonSetsResource(),
    statefulSetsResource(),
    jobsResource(),
    cronJobsResource(),
    ...chartResources(),
    certificateSigningRequestsResource(),
    rolesResource(),
    clusterRolesResource(),
    roleBindingsResource(),
    clusterRoleBindingsResource(),
    ...reviewResources(),
    endpointSlicesResource(),
    podDisruptionBudgetsResource(),
  ];
}

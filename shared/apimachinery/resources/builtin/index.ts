import type { ResourceInfo } from '../types.js';
import { configMapsInfo } from './configmaps.js';
import { daemonSetsInfo } from './daemonsets.js';
import { deploymentsInfo } from './deployments.js';
import { eventsInfo } from './events.js';
import { cronJobsInfo } from './cronjobs.js';
import { jobsInfo } from './jobs.js';
import { leasesInfo } from './leases.js';
import { namespacesInfo } from './namespaces.js';
import { nodesInfo } from './nodes.js';
import { podsInfo } from './pods.js';
import { clusterRoleBindingsInfo, clusterRolesInfo, roleBindingsInfo, rolesInfo } from './rbac.js';
import { replicaSetsInfo } from './replicasets.js';
import { secretsInfo } from './secrets.js';
import { serviceAccountsInfo } from './serviceaccounts.js';
import { servicesInfo } from './services.js';
import { statefulSetsInfo } from './statefulsets.js';

/** The information of every built-in kind, core group first (the cloud serves them in this order). */
export function builtinResourceInfos(): ResourceInfo[] {
  return [
    namespacesInfo(),
    nodesInfo(),
    podsInfo(),
    configMapsInfo(),
    secretsInfo(),
    servicesInfo(),
    eventsInfo(),
    serviceAccountsInfo(),
    leasesInfo(),
    deploymentsInfo(),
    replicaSetsInfo(),
    daemonSetsInfo(),
    statefulSetsInfo(),
    jobsInfo(),
    cronJobsInfo(),
    rolesInfo(),
    clusterRolesInfo(),
    roleBindingsInfo(),
    clusterRoleBindingsInfo(),
  ];
}

import type { Logger } from '../../shared/logging.js';
import type { Module } from '../../shared/lifecycle.js';
import type { ApiContext } from '../apiserver/index.js';
import type { SharedInformerFactory } from '../informers/index.js';
import { createClusterRoleAggregationController } from './clusterrole-aggregation/index.js';
import { createCronJobController } from './cronjob/index.js';
import { createDaemonSetController } from './daemonset/index.js';
import { createDeviceController } from './device/index.js';
import { createDeploymentController } from './deployment/index.js';
import { createEventTtlController } from './event-ttl-controller.js';
import { createGarbageCollector } from './garbage-collector.js';
import { createJobController } from './job/index.js';
import { createNamespaceController } from './namespace-controller.js';
import { createNodeLifecycleController } from './node-lifecycle/index.js';
import { createReplicaSetController } from './replicaset/index.js';
import { createScheduler } from './scheduler/index.js';
import { createStatefulSetController } from './statefulset/index.js';
import type { ControllerDeps } from './controller-deps.js';

export interface ControllerOptions {
  api: ApiContext;
  logger: Logger;
  eventTtlSeconds: number;
  /** --node-monitor-grace-period (docs/protocol.md R24). */
  nodeMonitorGracePeriodSeconds: number;
  /** The process's shared informers (one list and watch per kind), started before the controllers. */
  informers: SharedInformerFactory;
}

/** cloudcore's in-process controllers, in start order. */
export function createControllers(options: ControllerOptions): Module[] {
  const workload = (name: string): ControllerDeps => ({ api: options.api, informers: options.informers, logger: options.logger.child({ controller: name }) });
  return [
    createGarbageCollector(options.api, options.informers, options.logger.child({ controller: 'garbage-collector' })),
    createNamespaceController(options.api, options.informers, options.logger.child({ controller: 'namespace' })),
    // Sweep every minute, or more often for a short TTL, so an event never outlives it by much.
    createEventTtlController(
      options.api,
      options.informers,
      options.logger.child({ controller: 'event-ttl' }),
      options.eventTtlSeconds,
      Math.min(60_000, (options.eventTtlSeconds * 1000) / 2),
    ),
    createNodeLifecycleController(options.api, options.logger.child({ controller: 'node-lifecycle' }), {
      gracePeriodMs: options.nodeMonitorGracePeriodSeconds * 1000,
      informers: options.informers,
    }),
    // Workloads: the scheduler binds what the workload controllers create (docs/architecture.md § Controllers).
    createScheduler(workload('scheduler')),
    createReplicaSetController(workload('replicaset')),
    createDeploymentController(workload('deployment')),
    createDaemonSetController(workload('daemonset')),
    createStatefulSetController(workload('statefulset')),
    createJobController(workload('job')),
    createCronJobController(workload('cronjob')),
    // Devices (docs/devices.md): credentials, DeviceStatus, and the summary in Device.status.
    createDeviceController(workload('device')),
    // RBAC (docs/rbac.md § Aggregation): admin, edit and view gather the rules of the roles labelled for them.
    createClusterRoleAggregationController(workload('clusterrole-aggregation')),
  ];
}
export { parseGoDuration, AUTONOMY_ANNOTATION } from './node-lifecycle/index.js';

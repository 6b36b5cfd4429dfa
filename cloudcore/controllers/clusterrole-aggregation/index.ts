export { createClusterRoleAggregationController } from './clusterrole-aggregation-controller.js';

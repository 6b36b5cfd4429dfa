/**
 * CustomResourceDefinitions: the CRD resource itself, the controller that serves custom resources
 * from it, the strategy of a custom resource, and the CRDs cloudcore ships (KubeEdge's devices).
 */
export { crdResource } from './crd-resource.js';
export { createCrdController, type CrdControllerOptions } from './crd-controller.js';
export { customResourceDefinition } from './custom-resource.js';
export { readCrd, CLEANUP_FINALIZER, CRD_GROUP, CRD_RESOURCE, type CrdInfo, type CrdNames, type CrdVersion, type CrdScale } from './crd-types.js';
export { kubeEdgeDeviceCrds, DEVICES_GROUP, DEVICES_VERSION } from './builtin/kubeedge-devices.js';
export type { JSONSchemaProps } from './json-schema-props.js';

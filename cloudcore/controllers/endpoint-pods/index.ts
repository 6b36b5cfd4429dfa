/** What the endpoints and endpointslice controllers share: which pods a Service selects and how each becomes an endpoint (docs/services.md). */
export {
  endpointLabels,
  endpointPortsFor,
  isPodReady,
  isPodTerminal,
  podHostnameFor,
  podIPFor,
  podNodeName,
  podReference,
  selectsPod,
  serviceAddressFamily,
  serviceSelector,
  servicesSelecting,
} from './service-pods.js';
export type { EndpointPort } from './service-pods.js';

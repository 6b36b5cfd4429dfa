export { createRootCaPublisher, rootCaConfigMap, ROOT_CA_CONFIGMAP, ROOT_CA_KEY } from './root-ca-publisher.js';

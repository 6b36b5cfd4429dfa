export { createServiceAccountController, defaultServiceAccount, DEFAULT_SERVICE_ACCOUNT } from './serviceaccount-controller.js';

export { ObjectsByController, controllerRefOf, controllerUidOf } from './objects-by-controller.js';

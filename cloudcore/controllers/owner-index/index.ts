export { ObjectsByController, controllerUidOf } from './objects-by-controller.js';

export { recordEvent } from './record-event.js';
export type { ControllerEvent } from './record-event.js';

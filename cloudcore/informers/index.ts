export { SharedInformer } from './shared-informer.js';
export type { InformerEvent, InformerHandler } from './shared-informer.js';
export { SharedInformerFactory } from './informer-factory.js';

export { SharedInformer } from './shared-informer.js';
export type { InformerEvent, InformerHandler, SharedInformerOptions } from './shared-informer.js';
export { SharedInformerFactory } from './informer-factory.js';
export type { SharedInformerFactoryOptions } from './informer-factory.js';
export type { Clock } from './clock.js';
export type { Backoff, BackoffOptions } from './backoff.js';
export type { ListWatchSource, ListWatchHandlers, ListWatchObserver, ListWatchOptions, WatchEnd } from './list-watch.js';

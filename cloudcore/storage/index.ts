export type {
  KeyValue,
  ListOptions,
  ListResult,
  Store,
  StoreErrorCode,
  StoreResult,
  WatchEvent,
  WatchEventType,
  WatchOptions,
} from './types.js';

import type { EdgeStore } from '../metamanager/index.js';
import type { TwinTable } from './twin-table.js';

/** What every request handler reads and writes. */
export interface RequestContext {
  store: EdgeStore;
  twins: TwinTable;
  nodeName: string;
  now: () => number;
  newEventId: () => string;
}

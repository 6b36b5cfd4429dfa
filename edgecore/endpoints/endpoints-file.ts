import { writeEndpoints } from '../../shared/endpoints.js';
import type { Logger } from '../../shared/logging.js';
import type { ConnectionSource, ConnectionState } from '../edgehub/index.js';

export interface EdgeEndpointsFileOptions {
  file: string;
  /** The addresses the started modules bound (MetaServer, the debug endpoint, ...). */
  fields: () => Record<string, string>;
  connection: ConnectionSource;
  logger: Logger;
}

export interface EdgeEndpointsFile {
  /** Writes the file: the edge is ready. Resolves once it is on disk. */
  publish(): Promise<void>;
  /** Waits for the last write; the file keeps its final `connection` ("disconnected"). Idempotent. */
  close(): Promise<void>;
}

/**
 * endpoints.json of a ready edge (docs/architecture.md § Processes): written once every module has started
 * (the edge works offline, so "ready" does not wait for the cloud), and rewritten when the
 * connection comes up or goes down; its `connection` field is "connected" or "disconnected".
 */
export function createEdgeEndpointsFile(options: EdgeEndpointsFileOptions): EdgeEndpointsFile {
  const connectionOf = (state: ConnectionState) => (state.phase === 'connected' ? 'connected' : 'disconnected');
  let connection = connectionOf(options.connection.state());
  let ready = false;
  let writing = Promise.resolve();

  function write(): void {
    if (!ready) return;
    const endpoints = { ...options.fields(), connection };
    writing = writing.then(() => writeEndpoints(options.file, endpoints)).catch((err: unknown) => options.logger.warn({ err }, 'could not write endpoints.json'));
  }

  // Followed from construction, so the first write already says whether the edge is connected.
  const unsubscribe = options.connection.onStateChange((state) => {
    const next = connectionOf(state);
    if (next === connection) return;
    connection = next;
    write();
  });

  return {
    async publish() {
      ready = true;
      write();
      await writing;
    },
    async close() {
      // The hub's last change ('stopped') is written before this is called, as before.
      await writing;
      unsubscribe();
    },
  };
}

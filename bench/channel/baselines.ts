import { fileURLToPath } from 'node:url';
import { forkChild, type Child } from './child.js';

const SERVER_PATH = fileURLToPath(new URL('./baseline-server.js', import.meta.url));
const START_TIMEOUT_MS = 15_000;

export interface BaselineServer {
  child: Child;
  port: number;
}

/**
 * Starts a baseline server process (`ws-echo` or `tls`) with cloudcore's serving certificate and
 * CA, and resolves with the port it listens on.
 */
export function startBaselineServer(mode: 'ws-echo' | 'tls', files: { cert: string; key: string; ca: string }): Promise<BaselineServer> {
  const child = forkChild(SERVER_PATH, [mode, files.cert, files.key, files.ca]);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} baseline server did not listen within ${START_TIMEOUT_MS} ms\n${child.output()}`)), START_TIMEOUT_MS);
    child.process.once('message', (message: { port?: unknown }) => {
      clearTimeout(timer);
      if (typeof message.port === 'number' && message.port > 0) resolve({ child, port: message.port });
      else reject(new Error(`${mode} baseline server reported no port`));
    });
    void child.exited.then((why) => {
      clearTimeout(timer);
      reject(new Error(`${mode} baseline server exited (${why})\n${child.output()}`));
    });
  });
}

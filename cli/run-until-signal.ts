/**
 * Runs a long-lived process until SIGINT or SIGTERM, then stops it cleanly. The only place, with
 * the CLI entry point, that decides the process exit code.
 */
const STOP_TIMEOUT_MS = 20_000;

export async function runUntilSignal(start: (signal: AbortSignal) => Promise<() => Promise<void>>): Promise<void> {
  const abort = new AbortController();
  let stop: (() => Promise<void>) | undefined;
  let stopping = false;
  const onSignal = (name: NodeJS.Signals): void => {
    if (stopping) {
      // A second Ctrl-C means "now": give up on a clean stop.
      console.error(`received ${name} again: exiting without a clean stop`);
      process.exit(1);
    }
    stopping = true;
    // A stop that hangs must not keep the process alive forever (service managers then SIGKILL).
    setTimeout(() => {
      console.error(`clean stop did not finish within ${STOP_TIMEOUT_MS / 1000} s: exiting`);
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    abort.abort(new Error(`received ${name}`));
    const done = stop ? stop() : Promise.resolve();
    done.then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`error while stopping: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  stop = await start(abort.signal);
  if (stopping) await stop();
}

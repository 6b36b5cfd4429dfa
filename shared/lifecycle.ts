/**
 * Module lifecycle (docs/architecture.md § Conventions): start(signal) resolves when the module is ready and
 * rejects when it cannot become ready; stop() is idempotent. main.ts starts modules in order and
 * stops them in reverse.
 */
export interface Module {
  readonly name: string;
  start(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

export type ModuleState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/**
 * Starts modules one after another. If one fails, the ones already started are stopped in reverse
 * and the error is rethrown, so a half-started process never lingers.
 */
export class ModuleGroup {
  private readonly started: Module[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly modules: readonly Module[],
    private readonly log?: (message: string, module: string) => void,
  ) {}

  async start(signal: AbortSignal): Promise<void> {
    for (const module of this.modules) {
      if (signal.aborted) throw signal.reason ?? new Error('aborted');
      try {
        this.log?.('starting module', module.name);
        await module.start(signal);
      } catch (err) {
        await this.stop();
        throw err;
      }
      this.started.push(module);
    }
  }

  /** Stops started modules in reverse order; safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const errors: unknown[] = [];
      for (const module of [...this.started].reverse()) {
        try {
          this.log?.('stopping module', module.name);
          await module.stop();
        } catch (err) {
          errors.push(err);
        }
      }
      this.started.length = 0;
      if (errors.length > 0) throw new AggregateError(errors, 'some modules failed to stop');
    })();
    return this.stopping;
  }
}

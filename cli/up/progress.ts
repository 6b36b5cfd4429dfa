/**
 * `outpost up`'s progress: named steps on stdout. On a terminal a spinner (ora) turns while a
 * step runs and becomes a ✔ line with its duration; elsewhere (a pipe, a log file, a test) plain
 * lines, `[up] <step> …` when it starts and `[up] <step> … done (1.2 s)` when it ends. Log lines
 * go to stderr; ora hooks process.stdout/stderr writes while it spins, so a line written there
 * clears the spinner first and does not garble it.
 */
import ora, { type Ora } from 'ora';

export interface StepOutcome {
  /** Shown after the step's name: `done`, `present`, `adopted`, … */
  result: string;
  /** A step that did not fully succeed (up goes on): shown as a warning. */
  warning?: boolean;
}

export interface Progress {
  /** Runs one step; its outcome word (default `done`) and duration are printed when it ends. */
  step<T>(title: string, run: (update: (note: string) => void) => Promise<T>, outcome?: (value: T) => StepOutcome): Promise<T>;
  /** A line of its own (a warning, a note between steps). */
  note(line: string): void;
}

export function createProgress(options: { stream?: NodeJS.WriteStream; interactive?: boolean } = {}): Progress {
  const stream = options.stream ?? process.stdout;
  const interactive = options.interactive ?? (stream.isTTY === true && process.env.CI === undefined);
  const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;
  return {
    async step(title, run, outcome) {
      const started = Date.now();
      let spinner: Ora | undefined;
      if (interactive) spinner = ora({ text: `${title} …`, stream, discardStdin: false }).start();
      else stream.write(`[up] ${title} …\n`);
      let lastNote = '';
      const update = (note: string): void => {
        if (note === lastNote) return;
        lastNote = note;
        if (spinner !== undefined) spinner.text = `${title} … ${note}`;
        else stream.write(`[up] ${title} … ${note}\n`);
      };
      try {
        const value = await run(update);
        const { result, warning } = outcome?.(value) ?? { result: 'done' };
        const line = `${title} … ${result} (${seconds(started)})`;
        if (spinner !== undefined) {
          if (warning === true) spinner.warn(line);
          else spinner.succeed(line);
        } else stream.write(`[up] ${line}\n`);
        return value;
      } catch (err) {
        const line = `${title} … failed (${seconds(started)})`;
        if (spinner !== undefined) spinner.fail(line);
        else stream.write(`[up] ${line}\n`);
        throw err;
      }
    },
    note(line) {
      stream.write(interactive ? `${line}\n` : `[up] ${line}\n`);
    },
  };
}

/**
 * Recursion without Node's stack (docs/limits.md § API, "Nesting depth"): a walk over a value as
 * deep as the API accepts (10,000 levels) overflows the default stack when each level costs a
 * few frames. A recursive walk is written as a generator that asks for its recursive calls with
 * `yield* descend(child(...))`; runStepwise keeps the pending calls on a heap-allocated stack,
 * so the depth of the value no longer matters.
 */
export type Step<R> = Generator<Step<unknown>, R, unknown>;

/** A recursive call inside a Step: runs `child` to completion and gives its result. */
export function* descend<R>(child: Step<R>): Generator<Step<unknown>, R, unknown> {
  return (yield child as Step<unknown>) as R;
}

/** Runs a Step and every call it makes, with an explicit stack. */
export function runStepwise<R>(root: Step<R>): R {
  const stack: Step<unknown>[] = [root];
  let input: unknown;
  for (;;) {
    const top = stack[stack.length - 1] as Step<unknown>;
    const next = top.next(input);
    input = undefined;
    if (!next.done) {
      stack.push(next.value);
      continue;
    }
    stack.pop();
    if (stack.length === 0) return next.value as R;
    input = next.value;
  }
}

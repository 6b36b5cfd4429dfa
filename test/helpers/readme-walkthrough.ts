/**
 * The steps of README.md's walk-through, as test/e2e/readme-walkthrough.test.ts runs them. The
 * README marks them with HTML comments, which GitHub does not show (docs/readme-walkthrough.md has
 * the markers and how the test runs them):
 *
 * - `<!-- walkthrough -->` before a ```sh block: run it, and it must exit 0;
 * - `<!-- walkthrough: background name=N until="CMD" -->` before a ```sh block: a long-running
 *   command a user starts in a terminal of its own; CMD (optional) exits 0 once it is ready;
 * - `<!-- walkthrough: stop N -->`: "press Ctrl-C" in the terminal of background step N.
 */

/** `line` is README.md's line of a block's first command, or of a stop's marker. */
export type WalkthroughStep =
  | { kind: 'run'; line: number; script: string }
  | { kind: 'background'; line: number; script: string; name: string; until: string | undefined }
  | { kind: 'stop'; line: number; name: string };

const MARKER = /^<!--\s*walkthrough(?::\s*(.*?))?\s*-->\s*$/;
const BACKGROUND = /^background\s+name=([\w-]+)(?:\s+until="([^"]*)")?$/;
const STOP = /^stop\s+([\w-]+)$/;

export function parseWalkthrough(markdown: string): WalkthroughStep[] {
  const lines = markdown.split('\n');
  const steps: WalkthroughStep[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec((lines[i] ?? '').trim());
    if (marker === null) continue;
    const line = i + 1;
    const directive = (marker[1] ?? '').trim();
    const stop = STOP.exec(directive);
    if (stop !== null) {
      steps.push({ kind: 'stop', line, name: stop[1] ?? '' });
      continue;
    }
    const background = BACKGROUND.exec(directive);
    if (directive !== '' && background === null) throw new Error(`README.md:${line}: unknown walk-through marker "${directive}"`);
    const block = fencedBlockAfter(lines, i + 1);
    if (block === undefined) throw new Error(`README.md:${line}: a walk-through marker must be followed by a \`\`\`sh block`);
    i = block.end;
    if (background === null) steps.push({ kind: 'run', line: block.start + 1, script: block.script });
    else steps.push({ kind: 'background', line: block.start + 1, script: block.script, name: background[1] ?? '', until: background[2] });
  }
  const started = new Set<string>();
  for (const step of steps) {
    if (step.kind === 'background') started.add(step.name);
    if (step.kind === 'stop' && !started.has(step.name)) throw new Error(`README.md:${step.line}: stop ${step.name} before it was started`);
  }
  return steps;
}

/** The ```sh block that starts on the first non-blank line from `from`; `start` is the 1-based line of its fence. */
function fencedBlockAfter(lines: string[], from: number): { start: number; end: number; script: string } | undefined {
  let start = from;
  while (start < lines.length && (lines[start] ?? '').trim() === '') start++;
  if ((lines[start] ?? '').trim() !== '```sh') return undefined;
  const body: string[] = [];
  for (let end = start + 1; end < lines.length; end++) {
    const text = lines[end] ?? '';
    if (text.trim() === '```') return { start: start + 1, end, script: body.join('\n') };
    body.push(text);
  }
  return undefined;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './paths.js';
import { parseWalkthrough } from './readme-walkthrough.js';

const fence = '```';

describe('parseWalkthrough', () => {
  it('reads run, background and stop steps with the line of their first command, and skips unmarked blocks', () => {
    const markdown = [
      '# T', // 1
      '<!-- walkthrough: background name=cloud until="curl -sf x" -->', // 2
      `${fence}sh`, // 3
      'outpost cloud', // 4
      fence, // 5
      `${fence}sh`, // 6
      'not marked', // 7
      fence, // 8
      '<!-- walkthrough -->', // 9
      '', // 10
      `${fence}sh`, // 11
      'kubectl get pods', // 12
      'echo "$X"', // 13
      fence, // 14
      '<!-- walkthrough: stop cloud -->', // 15
    ].join('\n');
    expect(parseWalkthrough(markdown)).toEqual([
      { kind: 'background', line: 4, script: 'outpost cloud', name: 'cloud', until: 'curl -sf x' },
      { kind: 'run', line: 12, script: 'kubectl get pods\necho "$X"' },
      { kind: 'stop', line: 15, name: 'cloud' },
    ]);
  });

  it('refuses a marker without a block, an unknown marker, and a stop before a start', () => {
    expect(() => parseWalkthrough('<!-- walkthrough -->\ntext')).toThrow(/must be followed by/);
    expect(() => parseWalkthrough('<!-- walkthrough: later -->')).toThrow(/unknown walk-through marker/);
    expect(() => parseWalkthrough('<!-- walkthrough: stop edge -->')).toThrow(/before it was started/);
  });

  it('finds the README walk-through: a cloud and an edge started and stopped', () => {
    const steps = parseWalkthrough(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
    const names = (kind: string) => steps.flatMap((s) => (s.kind === kind && 'name' in s ? [s.name] : []));
    expect(names('background')).toEqual(expect.arrayContaining(['cloud', 'edge']));
    expect(names('stop')).toEqual(expect.arrayContaining(['cloud', 'edge']));
  });
});

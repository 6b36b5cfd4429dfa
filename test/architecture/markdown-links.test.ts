/**
 * Every relative link of README.md and docs/*.md leads somewhere: the file exists and, for a
 * `#fragment` into a markdown file, a heading of that file has that anchor (GitHub's: lower case,
 * punctuation dropped, spaces as dashes). README.md moves its depth into docs/ by links, so a
 * renamed heading or file must not leave a reader at a dead end.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LINK = /\[[^\]]*\]\(([^)\s]+)\)/g;

function markdownFiles(): string[] {
  const docs = readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(repo, 'docs', f));
  return [join(repo, 'README.md'), ...docs];
}

/** The text outside fenced code blocks, where a `[x](y)` is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

/** GitHub's anchor of a heading. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = prose(readFileSync(file, 'utf8'));
  return new Set(text.split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => headingAnchor(l.replace(/^#+ /, ''))));
}

describe('markdown links', () => {
  const links = markdownFiles().flatMap((file) =>
    [...prose(readFileSync(file, 'utf8')).matchAll(LINK)].map((m) => ({ file, target: m[1] ?? '' })),
  );

  it('finds links to check (the scan itself works)', () => {
    expect(links.some((l) => l.file.endsWith('README.md') && l.target.startsWith('docs/'))).toBe(true);
  });

  it('lead to files and headings that exist', () => {
    const broken = links
      .filter((l) => !/^[a-z]+:/.test(l.target))
      .filter((l) => {
        const [path = '', fragment] = l.target.split('#');
        const target = path === '' ? l.file : resolve(dirname(l.file), path);
        if (!existsSync(target)) return true;
        return fragment !== undefined && target.endsWith('.md') && !anchors(target).has(fragment);
      })
      .map((l) => `${relative(repo, l.file)}: ${l.target}`);
    expect(broken).toEqual([]);
  });

  it('computes GitHub anchors', () => {
    expect(headingAnchor('Walk-through: a cloud, an edge')).toBe('walk-through-a-cloud-an-edge');
    expect(headingAnchor('The datastore: SQLite or etcd')).toBe('the-datastore-sqlite-or-etcd');
    expect(headingAnchor('What `npm start` shows')).toBe('what-npm-start-shows');
  });
});

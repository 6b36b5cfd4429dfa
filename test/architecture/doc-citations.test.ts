/**
 * Code and docs cite what they rely on in the repository's own docs/ (docs/architecture.md
 * § Conventions, "Docs"). This test keeps those citations true: every cited `docs/<name>.md`
 * exists, a cited section (`docs/kubectl.md § Watch`) names a heading of that file, and nothing
 * cites the design notes kept outside the repository any more.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git', '.outpost']);
const SCANNED = /\.(ts|md|mjs)$/;

/** `docs/<name>.md`, optionally followed by ` § <section>` up to a closing bracket or punctuation. */
const DOC_CITATION = /(?<![\w./-])docs\/([\w.-]+\.md)(?: § ([^)`,:;\n]+))?/g;
/**
 * Citations of the notes outside the repository. Spelled in pieces so this file does not cite
 * them itself.
 */
const OUTSIDE_CITATION = new RegExp(`(?<![\\w./-])(?:${'DESIGN'}|${'notes'}/[\\w.-]+)\\.md`, 'g');

interface Citation {
  where: string;
  text: string;
  doc: string;
  section: string | undefined;
}

function scannedFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...scannedFiles(path));
    else if (entry.isFile() && SCANNED.test(entry.name)) found.push(path);
  }
  return found;
}

function citations(pattern: RegExp): Citation[] {
  const result: Citation[] = [];
  for (const file of scannedFiles(repo)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      for (const match of line.matchAll(pattern)) {
        result.push({ where: `${relative(repo, file)}:${index + 1}`, text: match[0], doc: match[1] ?? '', section: match[2]?.trim().replace(/\.$/, '') });
      }
    });
  }
  return result;
}

/** The headings of a markdown file, without their `#` marks. */
function headings(doc: string): string[] {
  return readFileSync(join(repo, 'docs', doc), 'utf8')
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => line.replace(/^#+ /, '').trim());
}

describe('doc citations', () => {
  const cited = citations(DOC_CITATION);

  it('finds citations to check (the scan itself works)', () => {
    expect(cited.some((c) => c.doc === 'protocol.md')).toBe(true);
  });

  it('cite only docs that exist in the repository', () => {
    const missing = cited.filter((c) => !existsSync(join(repo, 'docs', c.doc))).map((c) => `${c.where}: ${c.text}`);
    expect(missing).toEqual([]);
  });

  it('cite sections by the start of a heading of the cited doc', () => {
    const unresolved = cited
      .filter((c) => c.section !== undefined && existsSync(join(repo, 'docs', c.doc)))
      .filter((c) => !headings(c.doc).some((heading) => heading.startsWith(c.section ?? '')))
      .map((c) => `${c.where}: ${c.text}`);
    expect(unresolved).toEqual([]);
  });

  it('never cite the design notes kept outside the repository', () => {
    const outside = citations(OUTSIDE_CITATION).map((c) => `${c.where}: ${c.text}`);
    expect(outside).toEqual([]);
  });
});

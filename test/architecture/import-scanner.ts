import { dirname, join, normalize, relative } from 'node:path';

/**
 * The dependency rule (docs/architecture.md § The dependency rule): shared/ and certs/ import neither half; cloudcore/
 * and edgecore/ never import each other, tests included.
 */
export type TopFolder = 'shared' | 'certs' | 'cloudcore' | 'edgecore';

const FORBIDDEN: Readonly<Record<TopFolder, readonly string[]>> = {
  shared: ['cloudcore', 'edgecore'],
  certs: ['cloudcore', 'edgecore'],
  cloudcore: ['edgecore'],
  edgecore: ['cloudcore'],
};

export const CHECKED_FOLDERS = Object.keys(FORBIDDEN) as TopFolder[];

export interface Violation {
  file: string;
  line: number;
  target: string;
}

/** Static `import … from`, `export … from`, side-effect `import '…'` and dynamic `import('…')`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;

/** Every module specifier in a source text, with its 1-based line. */
export function importSpecifiers(source: string): Array<{ specifier: string; line: number }> {
  const found: Array<{ specifier: string; line: number }> = [];
  for (const match of source.matchAll(SPECIFIER)) {
    const specifier = match[2] ?? '';
    const line = source.slice(0, match.index).split('\n').length;
    found.push({ specifier, line });
  }
  return found;
}

/** The top-level folder a relative specifier lands in, from a repo-relative file path. */
export function targetFolder(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const resolved = normalize(join(dirname(file), specifier));
  const top = relative('.', resolved).split(/[\\/]/)[0];
  return top === undefined || top === '..' ? undefined : top;
}

/** The imports of one file (repo-relative path, source text) that break the rule. */
export function checkFile(file: string, source: string): Violation[] {
  const top = file.split(/[\\/]/)[0] as TopFolder;
  const forbidden = FORBIDDEN[top];
  if (forbidden === undefined) return [];
  const violations: Violation[] = [];
  for (const { specifier, line } of importSpecifiers(source)) {
    const target = targetFolder(file, specifier);
    if (target !== undefined && forbidden.includes(target)) violations.push({ file, line, target: specifier });
  }
  return violations;
}

/**
 * As checkFile, and also follows imports into test/ (helpers shared by tests), so a cloud test
 * cannot reach edge code through a helper: `read` returns a repo-relative file's text, or
 * undefined when there is none.
 */
export function checkFileThroughHelpers(file: string, source: string, read: (path: string) => string | undefined): Violation[] {
  const top = file.split(/[\\/]/)[0] as TopFolder;
  const forbidden = FORBIDDEN[top];
  if (forbidden === undefined) return [];
  const violations = checkFile(file, source);
  const seen = new Set<string>();
  const follow = (from: string, text: string, line: number, via: string): void => {
    for (const { specifier } of importSpecifiers(text)) {
      if (!specifier.startsWith('.')) continue;
      const resolved = relative('.', normalize(join(dirname(from), specifier))).replace(/\.js$/, '.ts');
      const target = resolved.split(/[\\/]/)[0];
      if (target !== undefined && forbidden.includes(target)) {
        violations.push({ file, line, target: `${via} -> ${resolved}` });
      } else if (target === 'test' && !seen.has(resolved)) {
        seen.add(resolved);
        const helper = read(resolved);
        if (helper !== undefined) follow(resolved, helper, line, `${via} -> ${resolved}`);
      }
    }
  };
  for (const { specifier, line } of importSpecifiers(source)) {
    if (targetFolder(file, specifier) !== 'test') continue;
    const resolved = relative('.', normalize(join(dirname(file), specifier))).replace(/\.js$/, '.ts');
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    const helper = read(resolved);
    if (helper !== undefined) follow(resolved, helper, line, specifier);
  }
  return violations;
}

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line} -> ${v.target}`;
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKED_FOLDERS, checkFile, checkFileThroughHelpers, formatViolation, importSpecifiers } from './import-scanner.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SKIPPED = new Set(['node_modules', 'dist']);

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('the dependency rule (docs/architecture.md § The dependency rule)', () => {
  it('holds for every file under shared/, certs/, cloudcore/ and edgecore/, tests included', () => {
    const files = CHECKED_FOLDERS.flatMap((top) => tsFiles(join(ROOT, top)));
    expect(files.length).toBeGreaterThan(100);
    const read = (path: string): string | undefined => (existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), 'utf8') : undefined);
    const violations = files.flatMap((path) => checkFileThroughHelpers(relative(ROOT, path), readFileSync(path, 'utf8'), read));
    expect(violations.map(formatViolation)).toEqual([]);
  });
});

describe('the import checker', () => {
  it('flags an edge file importing the cloud, with file, line and target', () => {
    const source = "import { x } from '../../shared/k8s/types.js';\nimport { errors } from '../../cloudcore/apiserver/http/status.js';\n";
    expect(checkFile('edgecore/metaserver/reads.ts', source).map(formatViolation)).toEqual([
      'edgecore/metaserver/reads.ts:2 -> ../../cloudcore/apiserver/http/status.js',
    ]);
  });

  it('flags re-exports, dynamic imports and side-effect imports too', () => {
    const source = [
      "export { a } from '../edgecore/x.js';",
      "const m = await import('../edgecore/y.js');",
      "import '../edgecore/z.js';",
      "export * from '../cloudcore/ok-for-cloud.js';",
    ].join('\n');
    expect(checkFile('cloudcore/thing.test.ts', source).map(formatViolation)).toEqual([
      'cloudcore/thing.test.ts:1 -> ../edgecore/x.js',
      'cloudcore/thing.test.ts:2 -> ../edgecore/y.js',
      'cloudcore/thing.test.ts:3 -> ../edgecore/z.js',
    ]);
  });

  it('flags shared/ and certs/ importing either half, and lets cli/ and test/ use both', () => {
    expect(checkFile('shared/a.ts', "import { b } from '../cloudcore/b.js';")).toHaveLength(1);
    expect(checkFile('certs/a.ts', "import { b } from '../edgecore/b.js';")).toHaveLength(1);
    expect(checkFile('cli/a.ts', "import { b } from '../edgecore/b.js';\nimport { c } from '../cloudcore/c.js';")).toEqual([]);
    expect(checkFile('test/e2e/a.test.ts', "import { b } from '../../edgecore/b.js';")).toEqual([]);
  });

  it('follows a test helper: a cloud test may not reach edge code through test/helpers', () => {
    const helpers: Record<string, string> = {
      'test/helpers/harness.ts': "import { x } from './inner.js';",
      'test/helpers/inner.ts': "import { hub } from '../../edgecore/edgehub/index.js';",
      'test/helpers/poll.ts': "import { setTimeout } from 'node:timers/promises';",
    };
    const read = (path: string): string | undefined => helpers[path];
    expect(checkFileThroughHelpers('cloudcore/a.test.ts', "import { h } from '../test/helpers/harness.js';", read).map(formatViolation)).toEqual([
      'cloudcore/a.test.ts:1 -> ../test/helpers/harness.js -> test/helpers/inner.ts -> edgecore/edgehub/index.ts',
    ]);
    expect(checkFileThroughHelpers('cloudcore/b.test.ts', "import { p } from '../test/helpers/poll.js';", read)).toEqual([]);
  });

  it('does not mistake a package import or a folder merely named like a half for a violation', () => {
    expect(checkFile('edgecore/a.ts', "import { z } from 'zod';\nimport { s } from './cloudcore-client.js';")).toEqual([]);
    expect(importSpecifiers("import type { A } from './a.js';\nexport type { B } from './b.js';").map((s) => s.specifier)).toEqual(['./a.js', './b.js']);
  });
});

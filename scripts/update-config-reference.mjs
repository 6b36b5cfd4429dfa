#!/usr/bin/env node
// Rewrites the reference blocks of docs/configuration.md from `--print-default-config` of the
// built CLI (run `npm run build` first). cli/print-default-config.test.ts checks they agree.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const docFile = join(root, 'docs', 'configuration.md');
let doc = readFileSync(docFile, 'utf8');
for (const kind of ['cloud', 'edge']) {
  const printed = execFileSync(process.execPath, [join(root, 'dist', 'cli', 'outpost.js'), kind, '--print-default-config'], { encoding: 'utf8' });
  const block = new RegExp(`(<!-- ${kind}-config:begin -->\\n\`\`\`yaml\\n)[\\s\\S]*?(\`\`\`\\n<!-- ${kind}-config:end -->)`);
  if (!block.test(doc)) throw new Error(`docs/configuration.md has no ${kind}-config block`);
  doc = doc.replace(block, (_match, begin, end) => `${begin}${printed}${end}`);
}
writeFileSync(docFile, doc);
console.log('docs/configuration.md: reference updated');

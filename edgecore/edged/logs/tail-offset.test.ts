import { open, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tailOffset } from './tail-offset.js';

async function tailOf(content: string, lines: number): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'outpost-tail-')), 'f.log');
  await writeFile(file, content);
  const handle = await open(file, 'r');
  try {
    const offset = await tailOffset(handle, Buffer.byteLength(content), lines);
    return Buffer.from(content).subarray(offset).toString();
  } finally {
    await handle.close();
  }
}

describe('tailOffset', () => {
  it('finds the start of the last N lines', async () => {
    expect(await tailOf('a\nb\nc\n', 2)).toBe('b\nc\n');
    expect(await tailOf('a\nb\nc\n', 3)).toBe('a\nb\nc\n');
    expect(await tailOf('a\nb\nc\n', 10)).toBe('a\nb\nc\n');
    expect(await tailOf('a\nb\nc\n', 0)).toBe('');
    expect(await tailOf('a\nb\nc', 1)).toBe('c');
    expect(await tailOf('', 3)).toBe('');
  });

  it('works across read blocks', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `${'x'.repeat(40)} line ${i}`);
    const tail = await tailOf(`${lines.join('\n')}\n`, 1234);
    expect(tail.split('\n').filter((l) => l !== '')).toEqual(lines.slice(-1234));
  });
});

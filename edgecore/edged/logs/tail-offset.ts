/**
 * Where the last N lines of a log file start (kubelet's tail.FindTailLineStartIndex): the file is
 * read backwards in blocks, so `--tail` on a 10 MiB log reads only what it returns.
 */
import type { FileHandle } from 'node:fs/promises';

const BLOCK = 64 * 1024;
const NEWLINE = 0x0a;

export async function tailOffset(file: FileHandle, size: number, lines: number): Promise<number> {
  if (lines <= 0) return size;
  // A final line break ends the last line; it does not start another one.
  let searchEnd = size;
  if (size > 0) {
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, size - 1);
    if (last[0] === NEWLINE) searchEnd = size - 1;
  }
  let found = 0;
  let blockEnd = searchEnd;
  const buffer = Buffer.alloc(BLOCK);
  while (blockEnd > 0) {
    const blockStart = Math.max(0, blockEnd - BLOCK);
    const length = blockEnd - blockStart;
    const { bytesRead } = await file.read(buffer, 0, length, blockStart);
    for (let i = bytesRead - 1; i >= 0; i--) {
      if (buffer[i] !== NEWLINE) continue;
      found++;
      if (found === lines) return blockStart + i + 1;
    }
    blockEnd = blockStart;
  }
  return 0;
}

import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkHostPathType } from './host-path.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outpost-hostpath-'));
  mkdirSync(join(dir, 'folder'));
  writeFileSync(join(dir, 'file'), 'x');
  symlinkSync(join(dir, 'folder'), join(dir, 'link-to-folder'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const message = (result: ReturnType<typeof checkHostPathType>): string => (result.ok ? 'ok' : result.message);

describe('checkHostPathType (kubelet hostPath checkType)', () => {
  it('"" and an absent type check nothing, even for a missing path', () => {
    expect(message(checkHostPathType(join(dir, 'missing'), ''))).toBe('ok');
    expect(message(checkHostPathType(join(dir, 'missing'), undefined))).toBe('ok');
  });

  it('Directory needs a folder (links followed); DirectoryOrCreate makes a missing one with its parents', () => {
    expect(message(checkHostPathType(join(dir, 'folder'), 'Directory'))).toBe('ok');
    expect(message(checkHostPathType(join(dir, 'link-to-folder'), 'Directory'))).toBe('ok');
    expect(message(checkHostPathType(join(dir, 'file'), 'Directory'))).toBe(`hostPath type check failed: ${join(dir, 'file')} is not a directory`);
    expect(message(checkHostPathType(join(dir, 'missing'), 'Directory'))).toBe(`hostPath type check failed: ${join(dir, 'missing')} is not a directory`);
    const made = join(dir, 'a', 'b');
    expect(message(checkHostPathType(made, 'DirectoryOrCreate'))).toBe('ok');
    expect(statSync(made).isDirectory()).toBe(true);
    expect(message(checkHostPathType(join(dir, 'file'), 'DirectoryOrCreate'))).toBe(`hostPath type check failed: ${join(dir, 'file')} is not a directory`);
  });

  it('File needs a regular file; FileOrCreate makes a missing one (not its folder)', () => {
    expect(message(checkHostPathType(join(dir, 'file'), 'File'))).toBe('ok');
    expect(message(checkHostPathType(join(dir, 'folder'), 'File'))).toBe(`hostPath type check failed: ${join(dir, 'folder')} is not a file`);
    expect(message(checkHostPathType(join(dir, 'new-file'), 'FileOrCreate'))).toBe('ok');
    expect(statSync(join(dir, 'new-file')).isFile()).toBe(true);
    expect(statSync(join(dir, 'new-file')).size).toBe(0);
    expect(checkHostPathType(join(dir, 'no-folder', 'file'), 'FileOrCreate').ok).toBe(false);
    expect(existsSync(join(dir, 'no-folder'))).toBe(false);
    expect(message(checkHostPathType(join(dir, 'folder'), 'FileOrCreate'))).toBe(`hostPath type check failed: ${join(dir, 'folder')} is not a file`);
  });

  it('Socket, CharDevice and BlockDevice check the kind of special file', async () => {
    const socketPath = join(dir, 'sock');
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      expect(message(checkHostPathType(socketPath, 'Socket'))).toBe('ok');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(message(checkHostPathType(join(dir, 'file'), 'Socket'))).toBe(`hostPath type check failed: ${join(dir, 'file')} is not a socket file`);
    expect(message(checkHostPathType('/dev/null', 'CharDevice'))).toBe('ok');
    expect(message(checkHostPathType(join(dir, 'file'), 'CharDevice'))).toBe(`hostPath type check failed: ${join(dir, 'file')} is not a character device`);
    expect(message(checkHostPathType('/dev/null', 'BlockDevice'))).toBe('hostPath type check failed: /dev/null is not a block device');
  });

  it('an unknown type is refused as kubelet refuses it', () => {
    expect(message(checkHostPathType(join(dir, 'file'), 'Pipe'))).toBe('Pipe is an invalid volume type');
  });
});

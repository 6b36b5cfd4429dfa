import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import { runCommand } from '../run-command.js';

/** Applet paths are relative ("bin/sh", "usr/bin/wget"); anything else is not trusted. */
const APPLET_PATH = /^(?:usr\/)?s?bin\/[A-Za-z0-9_.[\]-]+$/;

/**
 * Fills an unpacked rootfs with the busybox binary at /bin/busybox and one symlink per applet
 * (as `busybox --install -s` would), plus the few files programs expect (/etc/passwd, /tmp).
 */
export async function populateBusyboxRootfs(rootfs: string, busybox: string): Promise<Result<void>> {
  const listed = await runCommand(busybox, ['--list-full'], { timeoutMs: 15_000 });
  if (!listed.ok) return listed;
  const applets = listed.value.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => APPLET_PATH.test(line) && line !== 'bin/busybox');
  if (!applets.includes('bin/sh')) return fail('Invalid', `${busybox} has no sh applet`);
  try {
    for (const dir of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'root', 'proc', 'sys', 'dev', 'var/www', 'home']) {
      mkdirSync(join(rootfs, dir), { recursive: true });
    }
    mkdirSync(join(rootfs, 'tmp'), { recursive: true });
    chmodSync(join(rootfs, 'tmp'), 0o1777);
    copyFileSync(busybox, join(rootfs, 'bin', 'busybox'));
    chmodSync(join(rootfs, 'bin', 'busybox'), 0o755);
    for (const applet of applets) {
      mkdirSync(dirname(join(rootfs, applet)), { recursive: true });
      symlinkSync('/bin/busybox', join(rootfs, applet));
    }
    writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
    writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
    return ok(undefined);
  } catch (err) {
    return fail('Internal', `populating ${rootfs}: ${errorMessage(err)}`);
  }
}

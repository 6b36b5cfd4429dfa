import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import type { ContainerdLayout } from './containerd-layout.js';

const conflistSchema = z.object({
  cniVersion: z.string(),
  name: z.string(),
  plugins: z.array(z.object({ type: z.string().regex(/^[A-Za-z0-9_-]+$/) }).loose()).min(1),
});

/** containerd's CRI plugin names the pod interface eth0 (CNI_IFNAME). */
const POD_INTERFACE = 'eth0';

function runPlugin(binary: string, env: Record<string, string>, stdin: string): Promise<Result<void>> {
  return new Promise((resolve) => {
    const child = spawn(binary, [], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve(fail('Internal', `${binary}: ${errorMessage(err)}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? ok(undefined) : fail('Internal', `${binary} DEL exited ${code}: ${output.trim()}`));
    });
    child.stdin.end(stdin);
  });
}

/**
 * portmap's DEL does nothing unless the runtime passes some port mapping (it returns early on an
 * empty list), yet it removes the pod's DNAT chain by container id, not by the ports. The
 * mappings of a pod being torn down are not known here, so one placeholder makes it run.
 */
function runtimeConfigFor(plugin: { type: string; capabilities?: unknown }): Record<string, unknown> {
  const capabilities = plugin.capabilities as Record<string, unknown> | undefined;
  if (capabilities?.portMappings !== true) return {};
  return { runtimeConfig: { portMappings: [{ hostPort: 1, containerPort: 1, protocol: 'tcp' }] } };
}

/**
 * Runs CNI DEL for one pod sandbox, as the CRI plugin does on StopPodSandbox (CNI spec,
 * "Network configuration lists": DEL runs the plugins in reverse order, each given the list's
 * name and cniVersion). It releases the pod's IP lease and removes the iptables rules of ipMasq
 * and portmap, which would otherwise outlive the runtime.
 */
export async function cniDelete(layout: ContainerdLayout, cniBinDir: string, sandboxId: string, netnsPath: string): Promise<Result<void>> {
  let parsed: z.infer<typeof conflistSchema>;
  try {
    const raw = readFileSync(join(layout.cniConfDir, '10-outpost.conflist'), 'utf8');
    const result = conflistSchema.safeParse(JSON.parse(raw));
    if (!result.success) return fail('Invalid', `CNI conflist of ${layout.dir}: ${result.error.message}`);
    parsed = result.data;
  } catch (err) {
    return fail('NotFound', `reading CNI conflist of ${layout.dir}: ${errorMessage(err)}`);
  }
  const errors: string[] = [];
  for (const plugin of [...parsed.plugins].reverse()) {
    const env = {
      CNI_COMMAND: 'DEL',
      CNI_CONTAINERID: sandboxId,
      CNI_NETNS: netnsPath,
      CNI_IFNAME: POD_INTERFACE,
      CNI_PATH: cniBinDir,
    };
    const stdin = JSON.stringify({ ...plugin, cniVersion: parsed.cniVersion, name: parsed.name, ...runtimeConfigFor(plugin) });
    const result = await runPlugin(join(cniBinDir, plugin.type), env, stdin);
    if (!result.ok) errors.push(result.message);
  }
  return errors.length === 0 ? ok(undefined) : fail('Internal', errors.join('; '));
}

import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import { cniDelete } from './cni-teardown.js';
import type { ContainerdLayout } from './containerd-layout.js';
import { runCommand, type CommandOutput } from '../run-command.js';

/** The parts of `ctr containers info` that teardown needs. */
const containerInfoSchema = z
  .object({
    ID: z.string(),
    Labels: z.record(z.string(), z.string()).nullable().optional(),
    Spec: z
      .object({
        linux: z
          .object({
            namespaces: z.array(z.object({ type: z.string(), path: z.string().optional() }).loose()).optional(),
            cgroupsPath: z.string().optional(),
          })
          .loose()
          .optional(),
      })
      .loose()
      .nullable()
      .optional(),
  })
  .loose();

export interface RemovedContainer {
  namespace: string;
  id: string;
  cgroupsPath: string | undefined;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

type Ctr = (args: string[]) => Promise<Result<unknown>>;

/** ctr says a task or container is already gone only in words; they are read here, once, as code Gone. */
const CTR_GONE = /not found|no running task/i;

async function runCtr(socket: string, args: string[]): Promise<Result<CommandOutput>> {
  const result = await runCommand('ctr', ['-a', socket, ...args], { timeoutMs: 60_000 });
  // NotFound from runCommand is a missing ctr binary, not a missing container.
  if (result.ok || result.code === 'NotFound' || !CTR_GONE.test(result.message)) return result;
  return fail('Gone', result.message);
}

/**
 * Kills (SIGKILL) and deletes a container's task. When the killed process was the last one of its
 * shim, the shim may exit while answering and ctr reports `ttrpc: closed` although the task is
 * gone; the retry then finds nothing left to delete.
 */
async function deleteTask(ctr: Ctr, namespace: string, id: string): Promise<Result<void>> {
  let last: Result<unknown> = ok(undefined);
  for (let attempt = 0; attempt < 3; attempt++) {
    last = await ctr(['-n', namespace, 'tasks', 'delete', '-f', id]);
    if (last.ok || last.code === 'Gone') return ok(undefined);
  }
  return last.ok ? ok(undefined) : fail(last.code, last.message);
}

/**
 * Removes every container of this containerd in every namespace: CNI DEL for pod sandboxes
 * first (while their network namespace still holds the interface), then the task (SIGKILL and
 * wait) and the container with its snapshot. Errors are collected, never stop the sweep.
 */
export async function removeAllContainers(
  layout: ContainerdLayout,
  cniBinDir: string,
): Promise<{ removed: RemovedContainer[]; errors: string[] }> {
  const ctr = (args: string[]) => runCtr(layout.socket, args);
  const removed: RemovedContainer[] = [];
  const errors: string[] = [];
  const namespaces = await ctr(['namespaces', 'ls', '-q']);
  if (!namespaces.ok) return { removed, errors: [namespaces.message] };
  for (const namespace of lines(namespaces.value.stdout)) {
    const listed = await ctr(['-n', namespace, 'containers', 'ls', '-q']);
    if (!listed.ok) {
      errors.push(listed.message);
      continue;
    }
    for (const id of lines(listed.value.stdout)) {
      let cgroupsPath: string | undefined;
      const info = await ctr(['-n', namespace, 'containers', 'info', id]);
      if (info.ok) {
        try {
          const parsed = containerInfoSchema.safeParse(JSON.parse(info.value.stdout));
          if (parsed.success) {
            cgroupsPath = parsed.data.Spec?.linux?.cgroupsPath;
            const netns = parsed.data.Spec?.linux?.namespaces?.find((n) => n.type === 'network')?.path;
            // CRI marks sandboxes with this label; only they own a CNI attachment.
            if (parsed.data.Labels?.['io.cri-containerd.kind'] === 'sandbox' && netns !== undefined && netns !== '') {
              const deleted = await cniDelete(layout, cniBinDir, id, netns);
              if (!deleted.ok) errors.push(deleted.message);
            }
          }
        } catch (err) {
          errors.push(`container ${id}: ${errorMessage(err)}`);
        }
      }
      const task = await deleteTask(ctr, namespace, id);
      if (!task.ok) errors.push(task.message);
      const container = await ctr(['-n', namespace, 'containers', 'delete', id]);
      if (!container.ok && container.code !== 'Gone') errors.push(container.message);
      removed.push({ namespace, id, cgroupsPath });
    }
  }
  return { removed, errors };
}

/**
 * A stand-in for the CRI calls the logs code makes (ListContainers, ContainerStatus,
 * ReopenContainerLog), over real log files in a temp folder: for edged/logs unit tests.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fail, ok } from '../../shared/errors.js';
import { silentLogger } from '../../shared/logging.js';
import type { ContainerFilter, ContainerState, CriClient } from '../../edgecore/edged/cri/index.js';
import { LABELS, MANAGED_BY_VALUE } from '../../edgecore/edged/podspec/index.js';

export interface FakeContainer {
  id: string;
  name: string;
  state: ContainerState;
  createdAt: bigint;
  logPath: string;
}

export class FakeLogRuntime {
  readonly dir = mkdtempSync(join(tmpdir(), 'outpost-logs-'));
  readonly containers: FakeContainer[] = [];
  readonly logger = silentLogger();
  reopened: string[] = [];

  add(name: string, state: ContainerState, lines: string[] = []): FakeContainer {
    const id = `c${this.containers.length}`;
    const container = { id, name, state, createdAt: BigInt(this.containers.length + 1), logPath: join(this.dir, `${name}-${id}.log`) };
    writeFileSync(container.logPath, lines.map((l) => criLine(l)).join(''));
    this.containers.push(container);
    return container;
  }

  append(container: FakeContainer, ...lines: string[]): void {
    appendFileSync(container.logPath, lines.map((l) => criLine(l)).join(''));
  }

  get cri(): CriClient {
    const self = this;
    const fake: Partial<CriClient> = {
      async listContainers(filter?: ContainerFilter) {
        const selector = filter?.labelSelector ?? {};
        const matches = self.containers.filter(
          (c) =>
            (selector[LABELS.podUid] === undefined || selector[LABELS.podUid] === 'uid-1') &&
            (selector[LABELS.containerName] === undefined || selector[LABELS.containerName] === c.name) &&
            (selector[LABELS.managedBy] === undefined || selector[LABELS.managedBy] === MANAGED_BY_VALUE) &&
            (filter?.state === undefined || filter.state.state === c.state),
        );
        return ok(matches.map((c) => ({ id: c.id, podSandboxId: 's', metadata: { name: c.name, attempt: 0 }, image: undefined, imageRef: '', state: c.state, createdAt: c.createdAt, labels: {}, annotations: {} })));
      },
      async containerStatus(id: string) {
        const c = self.containers.find((x) => x.id === id);
        if (c === undefined) return fail('NotFound', `container ${id} not found`);
        const status = { id, metadata: { name: c.name, attempt: 0 }, state: c.state, createdAt: c.createdAt, startedAt: 0n, finishedAt: 0n, exitCode: 0, image: undefined, imageRef: '', reason: '', message: '', labels: {}, annotations: {}, mounts: [], logPath: c.logPath };
        return ok({ status, info: {} });
      },
      async reopenContainerLog(id: string) {
        const c = self.containers.find((x) => x.id === id);
        if (c === undefined) return fail('NotFound', `container ${id} not found`);
        writeFileSync(c.logPath, '', { flag: 'a' });
        self.reopened.push(id);
        return ok(undefined);
      },
    };
    return fake as CriClient;
  }
}

let clock = 0;
/** A CRI line "stdout F text" with a time one second after the last (from 2024-01-01). */
export function criLine(text: string, tag: 'F' | 'P' = 'F'): string {
  clock++;
  const time = new Date(Date.UTC(2024, 0, 1) + clock * 1000).toISOString().replace('.000Z', '.123456789Z');
  return `${time} stdout ${tag} ${text}\n`;
}

/** A sink that keeps everything and resolves `done` with the end's error (or undefined). */
export function collectingSink(): { sink: { signal: AbortSignal; accept(): void; write(b: Buffer): Promise<boolean>; end(e?: { code: string; message: string }): void }; text(): string; accepted(): boolean; done: Promise<{ code: string; message: string } | undefined>; abort(): void } {
  const chunks: Buffer[] = [];
  const controller = new AbortController();
  let accepted = false;
  let resolveDone: (e: { code: string; message: string } | undefined) => void = () => undefined;
  const done = new Promise<{ code: string; message: string } | undefined>((r) => (resolveDone = r));
  return {
    sink: {
      signal: controller.signal,
      accept: () => void (accepted = true),
      write: async (b) => {
        accepted = true;
        chunks.push(Buffer.from(b));
        return !controller.signal.aborted;
      },
      end: (e) => resolveDone(e),
    },
    text: () => Buffer.concat(chunks).toString(),
    accepted: () => accepted,
    done,
    abort: () => controller.abort(),
  };
}

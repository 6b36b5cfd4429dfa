import { renameSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogsRequest } from '../../../shared/protocol/index.js';
import { collectingSink, criLine, FakeLogRuntime } from '../../../test/helpers/fake-log-runtime.js';
import { createLogsHandler } from './logs-handler.js';
import { waitFor } from '../../../test/helpers/poll.js';

const request = (extra: Partial<LogsRequest> = {}): LogsRequest => ({
  type: 'logs', namespace: 'default', name: 'p', uid: 'uid-1', container: 'web', follow: false, previous: false, timestamps: false, ...extra,
});

async function until(check: () => boolean, what: string): Promise<void> {
  await waitFor(check, { timeoutMs: 10_000, intervalMs: 10, description: what });
}

describe('logs handler', () => {
  let runtime: FakeLogRuntime;
  const serve = (req: LogsRequest) => {
    const out = collectingSink();
    createLogsHandler({ cri: runtime.cri, logger: runtime.logger, pollMs: 50 })(req, out.sink);
    return out;
  };

  it('sends the current container log, --tail and --timestamps', async () => {
    runtime = new FakeLogRuntime();
    runtime.add('web', 'CONTAINER_RUNNING', ['one', 'two', 'three']);
    const all = serve(request());
    expect(await all.done).toBeUndefined();
    expect(all.text()).toBe('one\ntwo\nthree\n');
    const tail = serve(request({ tailLines: 2 }));
    await tail.done;
    expect(tail.text()).toBe('two\nthree\n');
    const stamped = serve(request({ tailLines: 1, timestamps: true }));
    await stamped.done;
    expect(stamped.text()).toMatch(/^2024-01-01T00:00:\d\d\.123456789Z three\n$/);
    const limited = serve(request({ limitBytes: 5 }));
    await limited.done;
    expect(limited.text()).toBe('one\nt');
  });

  it('reads the previous instance, with kubelet\'s errors when there is none', async () => {
    runtime = new FakeLogRuntime();
    const first = runtime.add('web', 'CONTAINER_EXITED', ['run 1']);
    const previous = serve(request({ previous: true }));
    await previous.done;
    expect(previous.text()).toBe('run 1\n'); // the newest exited, waiting for its restart: kubelet's lastState
    runtime.add('web', 'CONTAINER_RUNNING', ['run 2']);
    const again = serve(request({ previous: true }));
    await again.done;
    expect(again.text()).toBe('run 1\n');
    const current = serve(request());
    await current.done;
    expect(current.text()).toBe('run 2\n');
    first.state = 'CONTAINER_UNKNOWN';
    expect(await serve(request({ previous: true })).done).toEqual({ code: 'BadRequest', message: 'previous terminated container "web" in pod "p" not found' });
    expect(await serve(request({ container: 'other' })).done).toEqual({ code: 'BadRequest', message: 'container "other" in pod "p" is waiting to start: ContainerCreating' });
  });

  it('follows new lines across a rotation and ends once the container stopped and the file is drained', async () => {
    runtime = new FakeLogRuntime();
    const c = runtime.add('web', 'CONTAINER_RUNNING', ['before']);
    const out = serve(request({ follow: true }));
    await until(() => out.text() === 'before\n', 'the first line');
    runtime.append(c, 'later');
    await until(() => out.text() === 'before\nlater\n', 'a line written while following');
    runtime.append(c, 'last in old file');
    renameSync(c.logPath, `${c.logPath}.20240101-000000`);
    await runtime.cri.reopenContainerLog(c.id);
    runtime.append(c, 'first in new file');
    await until(() => out.text().endsWith('first in new file\n'), 'the line after the rotation');
    expect(out.text()).toBe('before\nlater\nlast in old file\nfirst in new file\n');
    runtime.append(c, 'goodbye');
    c.state = 'CONTAINER_EXITED';
    expect(await out.done).toBeUndefined();
    expect(out.text().endsWith('goodbye\n')).toBe(true);
  });

  it('stops following when the stream is closed', async () => {
    runtime = new FakeLogRuntime();
    runtime.add('web', 'CONTAINER_RUNNING', ['x']);
    const out = serve(request({ follow: true }));
    await until(() => out.text() === 'x\n', 'the first line');
    out.abort();
    expect(await out.done).toBeUndefined();
  });

  it('joins partial lines', async () => {
    runtime = new FakeLogRuntime();
    const c = runtime.add('web', 'CONTAINER_EXITED');
    const { appendFileSync } = await import('node:fs');
    appendFileSync(c.logPath, criLine('hel', 'P') + criLine('lo') + 'garbage line\n' + criLine('end'));
    const out = serve(request({ timestamps: true }));
    await out.done;
    expect(out.text()).toMatch(/^\S+ hello\n\S+ end\n$/);
  });
});

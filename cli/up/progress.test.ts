import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function plainProgress() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  const progress = createProgress({ stream: stream as unknown as NodeJS.WriteStream, interactive: false });
  return { progress, text: () => text.replace(/\(\d+\.\d s\)/g, '(T)') };
}

describe("outpost up's progress without a terminal", () => {
  it('prints a line when a step starts, each new note once, and one with its outcome and duration', async () => {
    const { progress, text } = plainProgress();
    const value = await progress.step('building images', async (update) => {
      update('1 of 2');
      update('1 of 2');
      update('2 of 2');
      return 'built';
    }, (v) => ({ result: v }));
    expect(value).toBe('built');
    expect(text()).toBe('[up] building images …\n[up] building images … 1 of 2\n[up] building images … 2 of 2\n[up] building images … built (T)\n');
  });

  it('says `done` by default and `failed` when the step throws, passing the error on', async () => {
    const { progress, text } = plainProgress();
    await progress.step('starting the cloud', async () => undefined);
    await expect(progress.step('joining', async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(text()).toContain('[up] starting the cloud … done (T)\n');
    expect(text()).toContain('[up] joining … failed (T)\n');
  });
});

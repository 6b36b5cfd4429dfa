import { describe, expect, it } from 'vitest';
import { CHANNEL, decodeChannelFrame, encodeChannelFrame, errorChannelStatusText, parseErrorChannel } from './remote-command.js';

describe('channel.k8s.io framing', () => {
  it('puts the channel in the first byte and takes it off again', () => {
    const frame = encodeChannelFrame(CHANNEL.stderr, Buffer.from('oops'));
    expect([...frame]).toEqual([2, ...Buffer.from('oops')]);
    expect(decodeChannelFrame(frame)).toEqual({ channel: 2, data: Buffer.from('oops') });
    expect(decodeChannelFrame(Buffer.from([255, 0]))).toEqual({ channel: CHANNEL.close, data: Buffer.from([0]) });
    expect(decodeChannelFrame(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('the error channel Status', () => {
  it('is Success for exit code 0', () => {
    expect(JSON.parse(errorChannelStatusText({ exitCode: 0 }, ['true']))).toEqual({ metadata: {}, status: 'Success' });
  });

  it('carries a non-zero exit code the way client-go reads it', () => {
    const text = errorChannelStatusText({ exitCode: 3 }, ['sh', '-c', 'exit 3']);
    expect(JSON.parse(text)).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(parseErrorChannel(text)).toEqual({ exitCode: 3 });
  });

  it('reads what the runtime sends: success, exit codes, other failures, garbage', () => {
    expect(parseErrorChannel('{"metadata":{},"status":"Success"}')).toEqual({ exitCode: 0 });
    expect(parseErrorChannel(errorChannelStatusText({ error: 'executable file not found' }, ['nope']))).toEqual({ error: 'executable file not found' });
    expect(parseErrorChannel('{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"x"}]},"message":"m"}')).toEqual({ error: 'm' });
    expect(parseErrorChannel('not json')).toHaveProperty('error');
    expect(parseErrorChannel('{"status":"Maybe"}')).toHaveProperty('error');
  });
});

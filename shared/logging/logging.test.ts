import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, type LogOptions } from '../logging.js';
import { parseJsonLogLines, repeatedKeys } from '../../test/helpers/log-lines.js';
import { chooseLogFormat } from './log-format.js';
import { withoutBoundKeys } from './unique-keys.js';

function capture(options: Omit<LogOptions, 'destination'>): { logger: ReturnType<typeof createLogger>; text: () => string } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: createLogger({ ...options, destination }), text: () => text };
}

describe('chooseLogFormat', () => {
  it('takes an explicit format, then OUTPOST_LOG_FORMAT, then whether logs go to a terminal', () => {
    expect(chooseLogFormat('json', { OUTPOST_LOG_FORMAT: 'pretty' }, true)).toBe('json');
    expect(chooseLogFormat('pretty', {}, false)).toBe('pretty');
    expect(chooseLogFormat('auto', { OUTPOST_LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(chooseLogFormat(undefined, { OUTPOST_LOG_FORMAT: ' JSON ' }, true)).toBe('json');
    expect(chooseLogFormat('auto', { OUTPOST_LOG_FORMAT: 'fancy' }, true)).toBe('pretty');
    expect(chooseLogFormat('auto', {}, true)).toBe('pretty');
    expect(chooseLogFormat('auto', {}, false)).toBe('json');
  });
});

describe('createLogger', () => {
  it('writes JSON lines off a terminal, each key once, nested modules joined', () => {
    const { logger, text } = capture({ component: 'edgecore/n1', level: 'debug', isTerminal: false });
    const edged = logger.child({ module: 'edged' });
    edged.child({ module: 'edged' }).info('same module again');
    edged.child({ module: 'containerd' }).child({ module: 'containerd' }).warn({ pid: 7 }, 'nested');
    logger.child({ module: 'edgehub' }).child({ node: 'n1' }).child({ node: 'n2' }).info('rebound');
    edged.info({ module: 'edged', pod: 'p' }, 'equal field dropped');
    edged.info({ module: 'devicetwin', time: 'x', level: 'y' }, 'clashing fields renamed');
    logger.child({ module: 'edgehub' }).child({ node: 'n1' }).info({ node: 'n3', module: 'edgehub' }, 'node clash');
    const lines = parseJsonLogLines(text()).map((l) => l.fields);
    expect(lines.map((l) => [l.component, l.module, l.msg])).toEqual([
      ['edgecore/n1', 'edged', 'same module again'],
      ['edgecore/n1', 'edged/containerd', 'nested'],
      ['edgecore/n1', 'edgehub', 'rebound'],
      ['edgecore/n1', 'edged', 'equal field dropped'],
      ['edgecore/n1', 'edged/devicetwin', 'clashing fields renamed'],
      ['edgecore/n1', 'edgehub', 'node clash'],
    ]);
    expect(lines[1]).toMatchObject({ pid: 7, level: 40 });
    expect(lines[2]).toMatchObject({ node: 'n2' });
    expect(lines[3]).toMatchObject({ pod: 'p' });
    expect(lines[3]).not.toHaveProperty('lineModule');
    expect(lines[4]).toMatchObject({ level: 30, lineTime: 'x', lineLevel: 'y' });
    expect(lines[5]).toMatchObject({ node: 'n1', lineNode: 'n3' });
  });

  it('keeps errors as they are', () => {
    const { logger, text } = capture({ component: 'cloudcore', isTerminal: false });
    logger.child({ module: 'apiserver' }).error(new Error('boom'), 'failed');
    logger.error({ err: new Error('bang') }, 'failed too');
    const [first, second] = parseJsonLogLines(text()).map((l) => l.fields);
    expect(first).toMatchObject({ module: 'apiserver', err: { message: 'boom' }, msg: 'failed' });
    expect(second).toMatchObject({ err: { message: 'bang' } });
  });

  it('writes readable lines in pretty format: time, level, component and module, message, fields', () => {
    const { logger, text } = capture({ component: 'edgecore/edge-1', format: 'pretty', isTerminal: false });
    logger.child({ module: 'edgehub' }).info({ hub: 'wss://h:1' }, 'connected');
    logger.info('ready');
    logger.child({ module: 'rbac' }).info({ kind: 'ClusterRole', name: 'view' }, 'created');
    const [first, second, third] = text().trimEnd().split('\n');
    expect(first).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: edgecore\/edge-1 edgehub: connected \{"hub":"wss:\/\/h:1"\}$/);
    expect(second).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: edgecore\/edge-1: ready$/);
    expect(third).toMatch(/\] INFO \(name=view\): edgecore\/edge-1 rbac: created \{"kind":"ClusterRole"\}$/);
    expect(text()).not.toContain('\u001b['); // no colours off a terminal
  });

  it('colours pretty lines only on a terminal', () => {
    const { logger, text } = capture({ component: 'cloudcore', format: 'pretty', isTerminal: true });
    logger.info('hello');
    expect(text()).toContain('\u001b[');
  });
});

describe('withoutBoundKeys', () => {
  it('leaves fields alone when nothing clashes', () => {
    const fields = { a: 1 };
    expect(withoutBoundKeys(fields, { module: 'm' }).fields).toBe(fields);
  });
});

describe('repeatedKeys', () => {
  it('finds keys repeated in the raw text at any depth, and nothing in clean JSON', () => {
    expect(repeatedKeys('{"a":1,"module":"x","module":"y"}')).toEqual(['module']);
    expect(repeatedKeys('{"a":{"b":[{"c":1,"c":2}],"d":"}\\"d"},"d":1}')).toEqual(['a.b.c']);
    expect(repeatedKeys('{"a":"{\\"a\\":1}","b":[1,"a"],"c":{"a":1}}')).toEqual([]);
  });
});

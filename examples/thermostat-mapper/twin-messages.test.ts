import { describe, expect, it } from 'vitest';
import { actualUpdate, deviceTopics, parseDelta, parseExpected, parseFailure } from './twin-messages.js';

const buf = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('the twin messages the mapper speaks', () => {
  it("names its device's topics", () => {
    expect(deviceTopics('default/thermostat-1')).toEqual({
      update: '$hw/events/device/default/thermostat-1/twin/update',
      updateResult: '$hw/events/device/default/thermostat-1/twin/update/result',
      delta: '$hw/events/device/default/thermostat-1/twin/update/delta',
      get: '$hw/events/device/default/thermostat-1/twin/get',
      getResult: '$hw/events/device/default/thermostat-1/twin/get/result',
    });
  });

  it('reports actual values in a twin/update', () => {
    const message = JSON.parse(actualUpdate({ temperature: '20.5', setpoint: '21' })) as Record<string, unknown>;
    expect(message).toMatchObject({ event_id: expect.any(String), timestamp: expect.any(Number), twin: { temperature: { actual: { value: '20.5' } }, setpoint: { actual: { value: '21' } } } });
  });

  it('reads a delta, a twin/get answer and a failure, and refuses anything else', () => {
    expect(parseDelta(buf({ event_id: 'e', timestamp: 1, twin: {}, delta: { setpoint: '24' } }))).toEqual({ setpoint: '24' });
    expect(parseDelta(buf('not json'))).toBeUndefined();
    expect(parseDelta(buf({ delta: { setpoint: 24 } }))).toBeUndefined();
    expect(parseExpected(buf({ twin: { setpoint: { expected: { value: '23' }, actual: { value: '21' }, version: 3 }, temperature: { actual: { value: '20' } } } }))).toEqual({ setpoint: '23' });
    expect(parseExpected(buf({ code: 404, reason: 'no such device' }))).toBeUndefined();
    expect(parseFailure(buf({ event_id: 'e', code: 409, reason: 'version mismatch' }))).toEqual({ code: 409, reason: 'version mismatch' });
    expect(parseFailure(buf({ event_id: 'e', twin: {} }))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { applySetpoint, drift, reportedValues, sensorReading } from './thermostat.js';

describe('the simulated thermostat', () => {
  it('drifts towards the set-point by at most one step, and never past it', () => {
    expect(drift({ temperature: 18, setpoint: 21 })).toEqual({ temperature: 18.5, setpoint: 21 });
    expect(drift({ temperature: 20.8, setpoint: 21 })).toEqual({ temperature: 21, setpoint: 21 });
    expect(drift({ temperature: 25, setpoint: 21 }, 2)).toEqual({ temperature: 23, setpoint: 21 });
    expect(drift({ temperature: 21, setpoint: 21 })).toEqual({ temperature: 21, setpoint: 21 });
  });

  it('takes a desired set-point in range and explains one it refuses', () => {
    expect(applySetpoint({ temperature: 18, setpoint: 21 }, '24.5')).toEqual({ ok: true, state: { temperature: 18, setpoint: 24.5 } });
    expect(applySetpoint({ temperature: 18, setpoint: 21 }, 'warm')).toMatchObject({ ok: false, reason: expect.stringContaining('not a number') });
    expect(applySetpoint({ temperature: 18, setpoint: 21 }, '')).toMatchObject({ ok: false });
    expect(applySetpoint({ temperature: 18, setpoint: 21 }, '99')).toMatchObject({ ok: false, reason: expect.stringContaining('outside') });
  });

  it('reads the room with a small ripple that differs from one tick to the next', () => {
    const readings = Array.from({ length: 16 }, (_, tick) => sensorReading({ temperature: 21, setpoint: 21 }, tick).temperature);
    for (let i = 1; i < readings.length; i++) expect(readings[i]).not.toBe(readings[i - 1]);
    for (const reading of readings) expect(Math.abs(reading - 21)).toBeLessThanOrEqual(0.2 + 1e-9);
    expect(sensorReading({ temperature: 18, setpoint: 21 }, 0)).toEqual({ temperature: 18, setpoint: 21 });
  });

  it('reports twin values as strings', () => {
    expect(reportedValues({ temperature: 18, setpoint: 21.5 })).toEqual({ temperature: '18.0', setpoint: '21.5' });
  });
});

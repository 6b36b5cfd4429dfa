import { describe, expect, it } from 'vitest';
import { applySetpoint, drift, reportedValues } from './thermostat.js';

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

  it('reports twin values as strings', () => {
    expect(reportedValues({ temperature: 18, setpoint: 21.5 })).toEqual({ temperature: '18.0', setpoint: '21.5' });
  });
});

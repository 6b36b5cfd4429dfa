/**
 * The simulated thermostat: a temperature that drifts towards the set-point by at most `step`
 * degrees per tick. Pure, so it is tested without a broker.
 */
export interface ThermostatState {
  temperature: number;
  setpoint: number;
}

export const SETPOINT_MIN = 5;
export const SETPOINT_MAX = 35;

/** One tick: the temperature moves towards the set-point, never past it; one decimal. */
export function drift(state: ThermostatState, step = 0.5): ThermostatState {
  const gap = state.setpoint - state.temperature;
  const move = Math.sign(gap) * Math.min(Math.abs(gap), step);
  return { ...state, temperature: Math.round((state.temperature + move) * 10) / 10 };
}

/**
 * The sensor's reading on tick `tick`: the room's temperature plus a small ripple (at most 0.2
 * degrees, never the same twice in a row), as a real sensor never reads a flat line. It keeps the
 * twin's reported temperature changing once the room sits at its set-point.
 */
const RIPPLE = [0, 0.1, 0.2, 0.1, 0, -0.1, -0.2, -0.1];

export function sensorReading(state: ThermostatState, tick: number): ThermostatState {
  const ripple = RIPPLE[((tick % RIPPLE.length) + RIPPLE.length) % RIPPLE.length] ?? 0;
  return { ...state, temperature: Math.round((state.temperature + ripple) * 10) / 10 };
}

export type SetpointChange = { ok: true; state: ThermostatState } | { ok: false; reason: string };

/** A desired set-point from the twin (a string, as twin values are): a number in range, or a reason. */
export function applySetpoint(state: ThermostatState, desired: string): SetpointChange {
  const value = Number(desired.trim());
  if (desired.trim() === '' || !Number.isFinite(value)) return { ok: false, reason: `set-point ${JSON.stringify(desired)} is not a number` };
  if (value < SETPOINT_MIN || value > SETPOINT_MAX) return { ok: false, reason: `set-point ${value} is outside ${SETPOINT_MIN}..${SETPOINT_MAX}` };
  return { ok: true, state: { ...state, setpoint: value } };
}

/** The twin value strings reported for a state. */
export function reportedValues(state: ThermostatState): { temperature: string; setpoint: string } {
  return { temperature: state.temperature.toFixed(1), setpoint: String(state.setpoint) };
}

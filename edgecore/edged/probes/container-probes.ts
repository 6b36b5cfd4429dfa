/** A container's probes and hooks as the prober and the kill path use them, read from its spec. */
import { parseHook, parseProbe, type HookHandler, type ProbeSpec, type ProbeType } from './probe-spec.js';

export interface ContainerProbeFields {
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  lifecycle?: { postStart?: unknown; preStop?: unknown } | undefined;
}

const FIELDS: Record<ProbeType, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> = { liveness: 'livenessProbe', readiness: 'readinessProbe', startup: 'startupProbe' };

/** The container's probes; one that cannot be read is left out and named in `problems`. */
export function containerProbes(container: ContainerProbeFields): { probes: Partial<Record<ProbeType, ProbeSpec>>; problems: string[] } {
  const probes: Partial<Record<ProbeType, ProbeSpec>> = {};
  const problems: string[] = [];
  for (const [type, field] of Object.entries(FIELDS) as [ProbeType, (typeof FIELDS)[ProbeType]][]) {
    const raw = container[field];
    if (raw === undefined || raw === null) continue;
    const parsed = parseProbe(raw, type);
    if (parsed.ok) probes[type] = parsed.value;
    else problems.push(`${field}: ${parsed.message}`);
  }
  return { probes, problems };
}

/** lifecycle.preStop or lifecycle.postStart, when set and readable. */
export function containerHook(container: ContainerProbeFields, which: 'preStop' | 'postStart'): { handler: HookHandler } | { problem: string } | undefined {
  const raw = container.lifecycle?.[which];
  if (raw === undefined || raw === null) return undefined;
  const parsed = parseHook(raw);
  return parsed.ok ? { handler: parsed.value } : { problem: `lifecycle.${which}: ${parsed.message}` };
}

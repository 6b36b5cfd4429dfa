/**
 * Probes and lifecycle handlers of a container (core/v1 Probe, LifecycleHandler), read from the
 * pod as edge.db holds it and given Kubernetes' defaults (pkg/apis/core/v1/defaults.go
 * SetDefaults_Probe: timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3;
 * SetDefaults_HTTPGetAction: path "/", scheme HTTP).
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../../../shared/errors.js';

/** A port by number, or by the name of one of the container's ports (intstr.IntOrString). */
export type PortRef = number | string;

export type ProbeHandler =
  | { kind: 'exec'; command: string[] }
  | { kind: 'httpGet'; scheme: 'HTTP' | 'HTTPS'; host: string | undefined; port: PortRef; path: string; headers: { name: string; value: string }[] }
  | { kind: 'tcpSocket'; host: string | undefined; port: PortRef }
  | { kind: 'grpc'; port: number; service: string | undefined };

/** A lifecycle hook adds sleep (KEP-3960) to the probe handlers. */
export type HookHandler = Exclude<ProbeHandler, { kind: 'grpc' }> | { kind: 'sleep'; seconds: number };

export type ProbeType = 'liveness' | 'readiness' | 'startup';

export interface ProbeSpec {
  handler: ProbeHandler;
  initialDelaySeconds: number;
  timeoutSeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
  /** Probe-level grace for the kill a failing liveness or startup probe causes (KEP-2238). */
  terminationGracePeriodSeconds: number | undefined;
}

const portRef = z.union([z.number().int(), z.string().min(1)]);
const execSchema = z.looseObject({ command: z.array(z.string()).default([]) });
const httpGetSchema = z.looseObject({
  path: z.string().optional(),
  port: portRef,
  host: z.string().optional(),
  scheme: z.enum(['HTTP', 'HTTPS']).default('HTTP'),
  httpHeaders: z.array(z.looseObject({ name: z.string(), value: z.string() })).default([]),
});
const tcpSchema = z.looseObject({ port: portRef, host: z.string().optional() });
const grpcSchema = z.looseObject({ port: z.number().int(), service: z.string().optional() });
const handlerSchema = z.looseObject({
  exec: execSchema.optional(),
  httpGet: httpGetSchema.optional(),
  tcpSocket: tcpSchema.optional(),
  grpc: grpcSchema.optional(),
  sleep: z.looseObject({ seconds: z.number().int().nonnegative() }).optional(),
});
const positive = (fallback: number) => z.number().int().optional().transform((v) => (v === undefined || v < 1 ? fallback : v));
const probeSchema = handlerSchema.extend({
  initialDelaySeconds: z.number().int().nonnegative().default(0),
  timeoutSeconds: positive(1),
  periodSeconds: positive(10),
  successThreshold: positive(1),
  failureThreshold: positive(3),
  terminationGracePeriodSeconds: z.number().int().nonnegative().optional(),
});

/** The JSON null the API uses for "not set" reads as absent. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(handler)'}: ${i.message}`).join('; ');
}

type ParsedHandler = z.output<typeof handlerSchema>;

function handlerOf(h: ParsedHandler): ProbeHandler | HookHandler | undefined {
  const set = [h.exec, h.httpGet, h.tcpSocket, h.grpc, h.sleep].filter((x) => x !== undefined).length;
  if (set !== 1) return undefined;
  if (h.exec !== undefined) return { kind: 'exec', command: h.exec.command };
  if (h.httpGet !== undefined) {
    const g = h.httpGet;
    // The prober puts a leading slash on a path that lacks one (pkg/probe/http NewRequestForHTTPGetAction).
    const path = g.path === undefined || g.path === '' ? '/' : g.path.startsWith('/') ? g.path : `/${g.path}`;
    return { kind: 'httpGet', scheme: g.scheme, host: g.host === '' ? undefined : g.host, port: g.port, path, headers: g.httpHeaders };
  }
  if (h.tcpSocket !== undefined) return { kind: 'tcpSocket', host: h.tcpSocket.host === '' ? undefined : h.tcpSocket.host, port: h.tcpSocket.port };
  if (h.grpc !== undefined) return { kind: 'grpc', port: h.grpc.port, service: h.grpc.service };
  if (h.sleep !== undefined) return { kind: 'sleep', seconds: h.sleep.seconds };
  return undefined;
}

const ONE_HANDLER = 'must specify exactly one of exec, httpGet, tcpSocket or grpc';

/**
 * A probe with its defaults. Liveness and startup probes count one success as success whatever
 * successThreshold says (API validation requires 1 for them; kubelet relies on it).
 */
export function parseProbe(raw: unknown, type: ProbeType): Result<ProbeSpec> {
  const parsed = probeSchema.safeParse(withoutNulls(raw));
  if (!parsed.success) return fail('Invalid', issues(parsed.error));
  const handler = handlerOf(parsed.data);
  if (handler === undefined || handler.kind === 'sleep') return fail('Invalid', ONE_HANDLER);
  const p = parsed.data;
  return ok({
    handler,
    initialDelaySeconds: p.initialDelaySeconds,
    timeoutSeconds: p.timeoutSeconds,
    periodSeconds: p.periodSeconds,
    successThreshold: type === 'readiness' ? p.successThreshold : 1,
    failureThreshold: p.failureThreshold,
    terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
  });
}

/** A postStart or preStop handler. */
export function parseHook(raw: unknown): Result<HookHandler> {
  const parsed = handlerSchema.safeParse(withoutNulls(raw));
  if (!parsed.success) return fail('Invalid', issues(parsed.error));
  const handler = handlerOf(parsed.data);
  if (handler === undefined || handler.kind === 'grpc') return fail('Invalid', 'must specify exactly one of exec, httpGet, tcpSocket or sleep');
  return ok(handler);
}

/** kubelet's probe type names in events: "Liveness probe failed: ...". */
export function probeTypeTitle(type: ProbeType): string {
  return type === 'liveness' ? 'Liveness' : type === 'readiness' ? 'Readiness' : 'Startup';
}

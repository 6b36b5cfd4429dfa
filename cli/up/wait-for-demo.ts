/**
 * The waits between applying the demo and the summary: the demo pods Running (as the edges report
 * them through the API), then the thermostat's twin reporting a temperature and a second,
 * different one. Polls the API; every answer is checked with zod.
 */
import { z } from 'zod';
import { abortableSleep } from '../../shared/abortable-sleep.js';
import type { AdminApi } from '../admin-api-client.js';
import { DEMO_NAMESPACE, EDGE_AGENT, WEB_APP, WEB_REPLICAS } from './demo-workloads.js';

const POLL_MS = 1000;

const podListSchema = z.object({
  items: z.array(z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()).optional() }), spec: z.object({ nodeName: z.string().optional() }).optional(), status: z.object({ phase: z.string().optional() }).optional() })),
});
const deploymentSchema = z.object({ spec: z.object({ replicas: z.number().int().optional() }) });

export interface DemoPodCount {
  web: { running: number; wanted: number };
  agents: { running: number; wanted: number };
}

async function countDemoPods(api: AdminApi, edges: number): Promise<DemoPodCount | undefined> {
  const pods = podListSchema.safeParse((await api.call('GET', `/api/v1/namespaces/${DEMO_NAMESPACE}/pods`)).body);
  if (!pods.success) return undefined;
  // The user's scale wins: the Deployment's replicas as they are now.
  const deployment = deploymentSchema.safeParse((await api.call('GET', `/apis/apps/v1/namespaces/${DEMO_NAMESPACE}/deployments/${WEB_APP}`)).body);
  const running = (app: string): number => pods.data.items.filter((p) => p.metadata.labels?.app === app && p.status?.phase === 'Running').length;
  return {
    web: { running: running(WEB_APP), wanted: deployment.success ? (deployment.data.spec.replicas ?? 1) : WEB_REPLICAS },
    agents: { running: running(EDGE_AGENT), wanted: edges },
  };
}

export const allRunning = (count: DemoPodCount): boolean => count.web.running >= count.web.wanted && count.agents.running >= count.agents.wanted;

/** Polls until every demo pod runs; returns the last count (short of it after timeoutMs or an abort). */
export async function waitForDemoPods(api: AdminApi, options: { edges: number; timeoutMs: number; signal: AbortSignal; update: (note: string) => void }): Promise<DemoPodCount | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let count: DemoPodCount | undefined;
  while (!options.signal.aborted) {
    count = await countDemoPods(api, options.edges);
    if (count !== undefined) {
      if (allRunning(count)) return count;
      options.update(`${WEB_APP} ${count.web.running}/${count.web.wanted}, ${EDGE_AGENT} ${count.agents.running}/${count.agents.wanted} Running`);
    }
    if (Date.now() > deadline) return count;
    await abortableSleep(POLL_MS, options.signal);
  }
  return count;
}

const twinSchema = z.object({ propertyName: z.string(), reported: z.object({ value: z.string() }).optional() });
const deviceStatusSchema = z.object({ status: z.object({ twins: z.array(twinSchema).optional() }).optional() });
const deviceSchema = z.object({ spec: z.object({ properties: z.array(z.object({ name: z.string(), desired: z.object({ value: z.string() }).optional() })).optional() }) });

export interface TwinReadings {
  /** The reported temperatures seen, oldest first (two different ones when it is changing). */
  temperatures: string[];
  /** The Device's desired set-point (spec) and the thermostat's reported one. */
  desiredSetpoint: string | undefined;
  reportedSetpoint: string | undefined;
}

export async function readTwin(api: AdminApi, device: string): Promise<{ temperature?: string; desiredSetpoint?: string; reportedSetpoint?: string }> {
  const base = `/apis/devices.kubeedge.io/v1beta1/namespaces/${DEMO_NAMESPACE}`;
  const status = deviceStatusSchema.safeParse((await api.call('GET', `${base}/devicestatuses/${device}`)).body);
  const spec = deviceSchema.safeParse((await api.call('GET', `${base}/devices/${device}`)).body);
  const twins = status.success ? (status.data.status?.twins ?? []) : [];
  const reported = (name: string): string | undefined => twins.find((t) => t.propertyName === name)?.reported?.value;
  const desired = spec.success ? spec.data.spec.properties?.find((p) => p.name === 'setpoint')?.desired?.value : undefined;
  const temperature = reported('temperature');
  const reportedSetpoint = reported('setpoint');
  return { ...(temperature === undefined ? {} : { temperature }), ...(desired === undefined ? {} : { desiredSetpoint: desired }), ...(reportedSetpoint === undefined ? {} : { reportedSetpoint }) };
}

/** Polls the twin until it reported a temperature and then a different one (or the time is up). */
export async function waitForChangingTwin(api: AdminApi, options: { device: string; timeoutMs: number; signal: AbortSignal; update: (note: string) => void }): Promise<TwinReadings> {
  const deadline = Date.now() + options.timeoutMs;
  const readings: TwinReadings = { temperatures: [], desiredSetpoint: undefined, reportedSetpoint: undefined };
  while (!options.signal.aborted) {
    const twin = await readTwin(api, options.device);
    readings.desiredSetpoint = twin.desiredSetpoint;
    readings.reportedSetpoint = twin.reportedSetpoint;
    if (twin.temperature !== undefined && readings.temperatures.at(-1) !== twin.temperature) readings.temperatures.push(twin.temperature);
    if (readings.temperatures.length >= 2) return readings;
    if (readings.temperatures.length === 1) options.update(`reported ${readings.temperatures[0]} °C, waiting for the next report`);
    if (Date.now() > deadline) return readings;
    await abortableSleep(POLL_MS, options.signal);
  }
  return readings;
}

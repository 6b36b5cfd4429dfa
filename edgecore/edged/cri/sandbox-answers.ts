/** Validation of the pod sandbox answers (api.proto: PodSandboxStatus, PodSandbox). */
import { z } from 'zod';
import { NAMESPACE_MODES, POD_SANDBOX_STATES } from './cri-enums.js';
import { idField, nanosField, optionalMessage, requiredMessage, stringMapField } from './answer-fields.js';

export const podSandboxMetadataSchema = z.object({
  name: z.string(),
  uid: z.string(),
  namespace: z.string(),
  attempt: z.number().int().nonnegative(),
});

const namespaceOptionSchema = z.object({
  network: z.enum(NAMESPACE_MODES),
  pid: z.enum(NAMESPACE_MODES),
  ipc: z.enum(NAMESPACE_MODES),
  targetId: z.string(),
});

const podSandboxNetworkSchema = z.object({
  /** Empty for host-network sandboxes. */
  ip: z.string(),
  additionalIps: z.array(z.object({ ip: z.string() }).transform((podIp) => podIp.ip)),
});

const linuxPodSandboxStatusSchema = z.object({
  namespaces: optionalMessage(z.object({ options: optionalMessage(namespaceOptionSchema) })),
});

export const podSandboxStatusSchema = z.object({
  id: idField,
  metadata: requiredMessage(podSandboxMetadataSchema, 'the sandbox metadata'),
  state: z.enum(POD_SANDBOX_STATES),
  createdAt: nanosField,
  network: optionalMessage(podSandboxNetworkSchema),
  linux: optionalMessage(linuxPodSandboxStatusSchema),
  labels: stringMapField,
  annotations: stringMapField,
  runtimeHandler: z.string(),
});

export const podSandboxStatusAnswerSchema = z.object({
  status: requiredMessage(podSandboxStatusSchema, 'the sandbox status'),
  /** JSON documents, keyed by topic; only filled when verbose was asked. */
  info: stringMapField,
});

export const podSandboxSchema = z.object({
  id: idField,
  metadata: requiredMessage(podSandboxMetadataSchema, 'the sandbox metadata'),
  state: z.enum(POD_SANDBOX_STATES),
  createdAt: nanosField,
  labels: stringMapField,
  annotations: stringMapField,
  runtimeHandler: z.string(),
});

export const listPodSandboxAnswerSchema = z.object({ items: z.array(podSandboxSchema) });

export const runPodSandboxAnswerSchema = z.object({ podSandboxId: idField });

export type PodSandboxMetadataStatus = z.output<typeof podSandboxMetadataSchema>;
export type PodSandboxStatus = z.output<typeof podSandboxStatusSchema>;
export type PodSandboxStatusResult = z.output<typeof podSandboxStatusAnswerSchema>;
export type PodSandbox = z.output<typeof podSandboxSchema>;

/** Validation of the container answers (api.proto: ContainerStatus, Container, ExecSync). */
import { z } from 'zod';
import { CONTAINER_STATES, MOUNT_PROPAGATIONS } from './cri-enums.js';
import { idField, nanosField, optionalMessage, requiredMessage, stringMapField, textBytesField } from './answer-fields.js';

const containerMetadataSchema = z.object({
  name: z.string(),
  attempt: z.number().int().nonnegative(),
});

export const imageSpecSchema = z.object({
  image: z.string(),
  annotations: stringMapField,
});

const mountSchema = z.object({
  containerPath: z.string(),
  hostPath: z.string(),
  readonly: z.boolean(),
  selinuxRelabel: z.boolean(),
  propagation: z.enum(MOUNT_PROPAGATIONS),
});

export const containerStatusSchema = z.object({
  id: idField,
  metadata: requiredMessage(containerMetadataSchema, 'the container metadata'),
  state: z.enum(CONTAINER_STATES),
  createdAt: nanosField,
  /** 0 until started. */
  startedAt: nanosField,
  /** 0 until exited; exitCode is meaningful only then. */
  finishedAt: nanosField,
  exitCode: z.number().int(),
  image: optionalMessage(imageSpecSchema),
  imageRef: z.string(),
  /** containerd: "Completed", "Error", "OOMKilled", "StartError". */
  reason: z.string(),
  message: z.string(),
  labels: stringMapField,
  annotations: stringMapField,
  mounts: z.array(mountSchema),
  logPath: z.string(),
});

export const containerStatusAnswerSchema = z.object({
  status: requiredMessage(containerStatusSchema, 'the container status'),
  /** JSON documents (e.g. "info" with the pid); only filled when verbose was asked. */
  info: stringMapField,
});

export const containerSchema = z.object({
  id: idField,
  podSandboxId: z.string(),
  metadata: requiredMessage(containerMetadataSchema, 'the container metadata'),
  image: optionalMessage(imageSpecSchema),
  imageRef: z.string(),
  state: z.enum(CONTAINER_STATES),
  createdAt: nanosField,
  labels: stringMapField,
  annotations: stringMapField,
});

export const listContainersAnswerSchema = z.object({ containers: z.array(containerSchema) });

export const createContainerAnswerSchema = z.object({ containerId: idField });

export const execSyncAnswerSchema = z.object({
  stdout: textBytesField,
  stderr: textBytesField,
  exitCode: z.number().int(),
});

/** ExecResponse: where the runtime's streaming server serves this one exec. */
export const execAnswerSchema = z.object({ url: z.string().regex(/^https?:\/\//, 'the runtime sent no streaming URL') });

export type ContainerMetadataStatus = z.output<typeof containerMetadataSchema>;
export type ImageSpecStatus = z.output<typeof imageSpecSchema>;
export type MountStatus = z.output<typeof mountSchema>;
export type ContainerStatus = z.output<typeof containerStatusSchema>;
export type ContainerStatusResult = z.output<typeof containerStatusAnswerSchema>;
export type Container = z.output<typeof containerSchema>;
export type ExecSyncResult = z.output<typeof execSyncAnswerSchema>;

/** Validation of the runtime-wide answers (api.proto: VersionResponse, StatusResponse) and empty ones. */
import { z } from 'zod';
import { optionalMessage, stringMapField } from './answer-fields.js';

export const versionAnswerSchema = z.object({
  version: z.string(),
  runtimeName: z.string().min(1, 'the runtime sent no name'),
  runtimeVersion: z.string(),
  runtimeApiVersion: z.string(),
});

const runtimeConditionSchema = z.object({
  /** "RuntimeReady" and "NetworkReady" are the ones kubelet requires. */
  type: z.string(),
  status: z.boolean(),
  reason: z.string(),
  message: z.string(),
});

export const statusAnswerSchema = z
  .object({
    status: optionalMessage(z.object({ conditions: z.array(runtimeConditionSchema) })),
    info: stringMapField,
  })
  .transform((answer) => ({ conditions: answer.status?.conditions ?? [], info: answer.info }));

/** Answers with no fields (StartContainerResponse, …): anything decodable is accepted. */
export const emptyAnswerSchema = z.object({}).transform((): void => undefined);

export type VersionInfo = z.output<typeof versionAnswerSchema>;
export type RuntimeCondition = z.output<typeof runtimeConditionSchema>;
export type RuntimeStatusResult = z.output<typeof statusAnswerSchema>;

/** Validation of the image service answers (api.proto: Image, ImageStatusResponse, PullImageResponse). */
import { z } from 'zod';
import { idField, int64NumberField, optionalMessage, stringMapField } from './answer-fields.js';
import { imageSpecSchema } from './container-answers.js';

export const imageSchema = z.object({
  id: idField,
  repoTags: z.array(z.string()),
  repoDigests: z.array(z.string()),
  size: int64NumberField,
  /** The image's default user when numeric; absent when it names a user (see username). */
  uid: optionalMessage(z.object({ value: int64NumberField }).transform((wrapper) => wrapper.value)),
  username: z.string(),
  spec: optionalMessage(imageSpecSchema),
  pinned: z.boolean(),
});

export const listImagesAnswerSchema = z.object({ images: z.array(imageSchema) });

/** api.proto: ImageStatus answers with image unset (not an error) when the image is absent. */
export const imageStatusAnswerSchema = z.object({
  image: optionalMessage(imageSchema),
  info: stringMapField,
});

export const pullImageAnswerSchema = z.object({ imageRef: z.string().min(1, 'the runtime sent an empty image reference') });

export type Image = z.output<typeof imageSchema>;
export type ImageStatusResult = z.output<typeof imageStatusAnswerSchema>;

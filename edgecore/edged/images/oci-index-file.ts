import { z } from 'zod';

/**
 * The parts of an OCI image layout's index.json (image-spec image-index.md) that naming needs.
 * `org.opencontainers.image.ref.name` is the OCI name (often just a tag);
 * `io.containerd.image.name` is containerd's full image name, which its importer uses as is.
 */
export const OCI_REF_NAME = 'org.opencontainers.image.ref.name';
export const CONTAINERD_IMAGE_NAME = 'io.containerd.image.name';

const descriptorSchema = z
  .object({
    mediaType: z.string().optional(),
    digest: z.string(),
    size: z.number(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .loose();

export const ociIndexSchema = z
  .object({
    schemaVersion: z.literal(2),
    manifests: z.array(descriptorSchema),
  })
  .loose();

export type OciIndex = z.infer<typeof ociIndexSchema>;

/** docker save's manifest.json: one entry per image, named by RepoTags. */
export const dockerManifestSchema = z.array(
  z
    .object({
      Config: z.string(),
      RepoTags: z.array(z.string()).nullable().optional(),
      Layers: z.array(z.string()),
    })
    .loose(),
);

/** The bootstrap endpoint's request bodies, validated before anything else reads them. */
import { z } from 'zod';
import { MAX_CSR_PEM_BYTES } from '../../certs/index.js';
import { MAX_NODE_NAME_LENGTH } from './node-certificate-record.js';

/** A Node name: a DNS-1123 subdomain (lower case), short enough for its record's object name. */
export const nodeNameSchema = z
  .string()
  .min(1)
  .max(MAX_NODE_NAME_LENGTH, `node name must be at most ${MAX_NODE_NAME_LENGTH} characters`)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'node name must be a lower-case DNS subdomain (a-z, 0-9, "-" and ".")');

const csr = z.string().min(1).max(MAX_CSR_PEM_BYTES);

export const joinRequestSchema = z.strictObject({ token: z.string().min(1).max(256), nodeName: nodeNameSchema, csr });
export type JoinRequest = z.output<typeof joinRequestSchema>;

/** The node's name comes from its certificate; a name in the body may only repeat it. */
export const renewRequestSchema = z.strictObject({ csr, nodeName: nodeNameSchema.optional() });
export type RenewRequest = z.output<typeof renewRequestSchema>;

/** Bodies are a CSR plus a few short strings: 64 KiB is far more than any honest one. */
export const MAX_BODY_BYTES = 64 * 1024;

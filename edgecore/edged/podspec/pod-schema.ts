/**
 * The subset of a Pod (core/v1) that edged turns into CRI requests. Objects are loose so fields
 * edged does not read pass through untouched (and count in the container hash); `null` is read as
 * "not set", as the API server's JSON decoding does for optional fields. Status is not read.
 * Defaults are NOT filled in here (the Pod stays as the API holds it, so its hash is stable);
 * the builders apply Kubernetes' defaults where they use a field.
 */
import { z } from 'zod';
import { isQuantity } from './quantity.js';

const quantitySchema = z
  .union([z.string(), z.number()])
  .transform((value) => String(value))
  .refine(isQuantity, { message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" });

const resourceListSchema = z.record(z.string(), quantitySchema);
const stringMapSchema = z.record(z.string(), z.string());
const int = z.number().int();
const port = int.min(1).max(65535);

const keyRefSchema = z.looseObject({ name: z.string().min(1), key: z.string().min(1), optional: z.boolean().optional() });
const objectRefSchema = z.looseObject({ name: z.string().min(1), optional: z.boolean().optional() });

const envVarSourceSchema = z
  .looseObject({
    fieldRef: z.looseObject({ apiVersion: z.string().optional(), fieldPath: z.string().min(1) }).optional(),
    resourceFieldRef: z.looseObject({ containerName: z.string().optional(), resource: z.string().min(1), divisor: quantitySchema.optional() }).optional(),
    configMapKeyRef: keyRefSchema.optional(),
    secretKeyRef: keyRefSchema.optional(),
  })
  .refine((source) => [source.fieldRef, source.resourceFieldRef, source.configMapKeyRef, source.secretKeyRef].filter((s) => s !== undefined).length === 1, {
    message: 'must specify exactly one of fieldRef, resourceFieldRef, configMapKeyRef or secretKeyRef',
  });

const envVarSchema = z.looseObject({ name: z.string().min(1), value: z.string().optional(), valueFrom: envVarSourceSchema.optional() });

const envFromSourceSchema = z
  .looseObject({ prefix: z.string().optional(), configMapRef: objectRefSchema.optional(), secretRef: objectRefSchema.optional() })
  .refine((source) => (source.configMapRef === undefined) !== (source.secretRef === undefined), { message: 'must specify exactly one of configMapRef or secretRef' });

const containerPortSchema = z.looseObject({
  name: z.string().optional(),
  containerPort: port,
  hostPort: int.min(0).max(65535).optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
  hostIP: z.string().optional(),
});

const containerSecurityContextSchema = z.looseObject({
  privileged: z.boolean().optional(),
  runAsUser: int.min(0).optional(),
  runAsGroup: int.min(0).optional(),
  runAsNonRoot: z.boolean().optional(),
  readOnlyRootFilesystem: z.boolean().optional(),
  allowPrivilegeEscalation: z.boolean().optional(),
  capabilities: z.looseObject({ add: z.array(z.string()).optional(), drop: z.array(z.string()).optional() }).optional(),
});

/** No defaults or transforms: the parsed container is hashed, and must stay as the API holds it. */
const volumeMountSchema = z.looseObject({
  name: z.string().min(1),
  mountPath: z.string().min(1),
  subPath: z.string().optional(),
  subPathExpr: z.string().optional(),
  readOnly: z.boolean().optional(),
  mountPropagation: z.string().optional(),
});

const containerSchema = z.looseObject({
  name: z.string().min(1),
  image: z.string().min(1),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  env: z.array(envVarSchema).optional(),
  envFrom: z.array(envFromSourceSchema).optional(),
  ports: z.array(containerPortSchema).optional(),
  resources: z.looseObject({ requests: resourceListSchema.optional(), limits: resourceListSchema.optional() }).optional(),
  volumeMounts: z.array(volumeMountSchema).optional(),
  livenessProbe: z.unknown().optional(),
  readinessProbe: z.unknown().optional(),
  startupProbe: z.unknown().optional(),
  lifecycle: z.looseObject({ postStart: z.unknown().optional(), preStop: z.unknown().optional() }).optional(),
  securityContext: containerSecurityContextSchema.optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
  terminationMessagePath: z.string().optional(),
  terminationMessagePolicy: z.enum(['File', 'FallbackToLogsOnError']).optional(),
});

/** An ephemeral container (`kubectl debug`): a container that may name the one whose processes it shares (R47). */
const ephemeralContainerSchema = containerSchema.extend({ targetContainerName: z.string().optional() });

const podSecurityContextSchema = z.looseObject({
  runAsUser: int.min(0).optional(),
  runAsGroup: int.min(0).optional(),
  runAsNonRoot: z.boolean().optional(),
  fsGroup: int.min(0).optional(),
  supplementalGroups: z.array(int.min(0)).optional(),
  sysctls: z.array(z.looseObject({ name: z.string().min(1), value: z.string() })).optional(),
});

const dnsConfigSchema = z.looseObject({
  nameservers: z.array(z.string()).optional(),
  searches: z.array(z.string()).optional(),
  options: z.array(z.looseObject({ name: z.string().min(1), value: z.string().optional() })).optional(),
});

const podSpecSchema = z.looseObject({
  containers: z.array(containerSchema).min(1),
  initContainers: z.array(containerSchema).optional(),
  ephemeralContainers: z.array(ephemeralContainerSchema).optional(),
  restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).optional(),
  hostNetwork: z.boolean().optional(),
  hostPID: z.boolean().optional(),
  hostIPC: z.boolean().optional(),
  shareProcessNamespace: z.boolean().optional(),
  hostname: z.string().optional(),
  subdomain: z.string().optional(),
  dnsPolicy: z.enum(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']).optional(),
  dnsConfig: dnsConfigSchema.optional(),
  nodeName: z.string().optional(),
  serviceAccountName: z.string().optional(),
  terminationGracePeriodSeconds: int.min(0).optional(),
  activeDeadlineSeconds: int.min(1).optional(),
  priorityClassName: z.string().optional(),
  priority: int.optional(),
  securityContext: podSecurityContextSchema.optional(),
  /** Each source is read by edged's volume manager (edgecore/edged/volumes), which validates it. */
  volumes: z.array(z.record(z.string(), z.unknown())).optional(),
});

const podMetadataSchema = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().min(1).default('default'),
  uid: z.string().min(1),
  labels: stringMapSchema.optional(),
  annotations: stringMapSchema.optional(),
  deletionTimestamp: z.string().optional(),
  deletionGracePeriodSeconds: int.min(0).optional(),
});

/** Two containers (init or not) of one pod may not share a name: CRI names and log folders would collide. */
const podObjectSchema = z
  .looseObject({ metadata: podMetadataSchema, spec: podSpecSchema })
  .superRefine((pod, context) => {
    const seen = new Set<string>();
    const all = [
      ...(pod.spec.initContainers ?? []).map((c, i) => ['initContainers', i, c.name] as const),
      ...pod.spec.containers.map((c, i) => ['containers', i, c.name] as const),
      ...(pod.spec.ephemeralContainers ?? []).map((c, i) => ['ephemeralContainers', i, c.name] as const),
    ];
    for (const [list, index, name] of all) {
      if (seen.has(name)) context.addIssue({ code: 'custom', path: ['spec', list, index, 'name'], message: `Duplicate value: ${JSON.stringify(name)}` });
      seen.add(name);
    }
  });

/** JSON `null` means "not set" in the Kubernetes API; drop it so optional fields read as undefined. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== null) result[key] = withoutNulls(entry);
  return result;
}

export const podSchema = z.preprocess(withoutNulls, podObjectSchema);

export type Pod = z.output<typeof podObjectSchema>;
export type PodMetadata = Pod['metadata'];
export type PodSpec = Pod['spec'];
export type PodContainer = z.output<typeof containerSchema>;
export type PodEphemeralContainer = z.output<typeof ephemeralContainerSchema>;
export type ContainerPort = z.output<typeof containerPortSchema>;
export type EnvVar = z.output<typeof envVarSchema>;
export type EnvVarSource = z.output<typeof envVarSourceSchema>;
export type EnvFromSource = z.output<typeof envFromSourceSchema>;
export type ContainerSecurityContext = z.output<typeof containerSecurityContextSchema>;
export type PodSecurityContext = z.output<typeof podSecurityContextSchema>;
export type PodDnsConfig = z.output<typeof dnsConfigSchema>;
/** resources.requests / resources.limits: resource name → quantity text. */
export type ResourceList = Record<string, string>;

import { fail, ok } from '../../../shared/errors.js';
import { HorizontalPodAutoscalerV1, Ingress, PriorityClass, ResourceQuota } from './chart-messages.js';
import { TokenRequest } from './authentication-messages.js';
import { CertificateSigningRequest } from './certificates-messages.js';
import { ConfigMap, Namespace, Pod, Secret, Service, ServiceAccount } from './core-messages.js';
import { decodeMessage, type DecodeResult } from './decode-message.js';
import type { MessageType } from './descriptor.js';
import { readEnvelope } from './envelope.js';
import { DeleteOptions } from './meta-messages.js';
import { Eviction, PodDisruptionBudget } from './policy-messages.js';
import { CronJob, Deployment, Job } from './workload-messages.js';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from './rbac-messages.js';
import { LocalSubjectAccessReview, SelfSubjectAccessReview, SelfSubjectReview, SelfSubjectRulesReview, SubjectAccessReview, TokenReview } from './review-messages.js';

/** The media type kubectl 1.32+ uses for the bodies of its generator commands and of drain. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** "apiVersion/Kind" → message: what kubectl's generator commands send (create …, run is JSON). */
const OBJECT_KINDS: Readonly<Record<string, MessageType>> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Pod': Pod,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'batch/v1/CronJob': CronJob,
  'v1/ResourceQuota': ResourceQuota,
  'networking.k8s.io/v1/Ingress': Ingress,
  'scheduling.k8s.io/v1/PriorityClass': PriorityClass,
  'autoscaling/v1/HorizontalPodAutoscaler': HorizontalPodAutoscalerV1,
  // kubectl certificate approve|deny: a typed client's PUT of certificatesigningrequests/approval.
  'certificates.k8s.io/v1/CertificateSigningRequest': CertificateSigningRequest,
  // kubectl create role… (docs/rbac.md § Kinds); auth can-i, auth whoami (docs/rbac.md § Reviews).
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'authorization.k8s.io/v1/SelfSubjectAccessReview': SelfSubjectAccessReview,
  'authorization.k8s.io/v1/SubjectAccessReview': SubjectAccessReview,
  'authorization.k8s.io/v1/LocalSubjectAccessReview': LocalSubjectAccessReview,
  'authorization.k8s.io/v1/SelfSubjectRulesReview': SelfSubjectRulesReview,
  'authentication.k8s.io/v1/SelfSubjectReview': SelfSubjectReview,
  'authentication.k8s.io/v1/TokenReview': TokenReview,
  'authentication.k8s.io/v1/TokenRequest': TokenRequest,
  // pods/eviction bodies of client-go clients (policy/v1, or v1beta1) and `create poddisruptionbudget`.
  'policy/v1/Eviction': Eviction,
  'policy/v1beta1/Eviction': Eviction,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/**
 * Decodes a `application/vnd.kubernetes.protobuf` request body into the JSON object form the rest
 * of the server works on (apiVersion and kind from the envelope first, then the object's fields).
 * Malformed bytes → BadRequest; a kind or field this server cannot decode → UnsupportedMediaType.
 */
export function decodeProtobufBody(body: Buffer): DecodeResult<Record<string, unknown>> {
  const envelope = readEnvelope(body);
  if (!envelope.ok) return envelope;
  const { apiVersion, kind, raw } = envelope.value;
  // DeleteOptions is registered in every group version (and in meta.k8s.io/v1).
  const type = kind === 'DeleteOptions' ? DeleteOptions : OBJECT_KINDS[`${apiVersion}/${kind}`];
  if (type === undefined) {
    return fail('UnsupportedMediaType', `this server cannot decode a ${kind} (${apiVersion || 'no apiVersion'}) sent as protobuf; send it as JSON (application/json)`);
  }
  const decoded = decodeMessage(type, raw, '');
  if (!decoded.ok) return decoded;
  return ok({ apiVersion, kind, ...decoded.value });
}


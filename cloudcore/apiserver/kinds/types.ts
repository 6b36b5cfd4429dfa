import type { ResourceInfo } from '../../../shared/apimachinery/resources/index.js';
import type { FieldError } from '../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { StoredAs } from '../registry/object-store.js';
import type { SchemaNode } from '../schema/types.js';
import type { UserInfo } from '../auth/authenticate.js';
import type { Authorizer } from '../auth/authorize.js';
import type { ApiError } from '../../../shared/apimachinery/errors/status.js';

export type { TableCell, TableColumn, TableSpec } from '../../../shared/apimachinery/resources/index.js';

/**
 * What the generic REST machinery needs to know about one resource: its information (names,
 * table, selectable fields; shared/apimachinery/resources, which MetaServer serves too) and its
 * strategy (defaulting, validation, status/spec split, scale), in the manner of the per-kind
 * `strategy.go` files of the Kubernetes API server.
 */

/** How the `scale` subresource reads and writes the object. */
export interface ScaleSpec {
  specReplicas(obj: KubeObject): number;
  statusReplicas(obj: KubeObject): number;
  /** The label selector string for Scale.status.selector, e.g. "app=web". */
  selector(obj: KubeObject): string;
  setSpecReplicas(obj: KubeObject, replicas: number): void;
}

export interface ResourceStrategy {
  /** Present exactly when the info's subresources.scale is true. */
  scale?: ScaleSpec;
  /** metadata.generation is set to 1 on create and bumped when anything outside metadata/status changes. */
  tracksGeneration: boolean;

  /** Fills defaults in place, as Kubernetes' defaulters do (protocol TCP, restartPolicy, ...). Idempotent. */
  applyDefaults(obj: KubeObject): void;
  /**
   * Resets fields a create may not set (e.g. status for kinds with a status subresource). The
   * requester is the authenticated user of an API request (absent for in-process writers), for
   * kinds that record who asked (a CertificateSigningRequest's spec.username).
   */
  prepareForCreate(obj: KubeObject, requester?: UserInfo): void;
  /**
   * A validating admission check of a create, run after validation as Kubernetes' admission
   * plugins run: an error to answer (403 Forbidden, say) or undefined to admit.
   */
  admitCreate?: (obj: KubeObject, requester: UserInfo | undefined) => ApiError | undefined;
  /** The same for a user's update (of the object or its status); in-process writers skip it. */
  admitUpdate?: (attempt: UpdateAttempt) => ApiError | undefined;
  /** Restores what an update of the main resource may not change, as Kubernetes' PrepareForUpdate (a CSR's spec). */
  prepareForUpdate?: (obj: KubeObject, old: KubeObject) => void;
  /** Validates a new object. Field paths are full: `spec.containers[0].image`. */
  validateCreate(obj: KubeObject): FieldError[];
  /** Validates an update of the main resource (e.g. pod-spec update limits). */
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** Validates an update through the status subresource. */
  validateStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[];

  /**
   * Set for a version served from another form's storage (events.k8s.io/v1 events, autoscaling/v1
   * HPAs): the object store converts on every read and write, and the controllers, which follow
   * the storage form, skip this version.
   */
  storedAs?: StoredAs;

  /** The structural schema, when not a built-in one (custom resources). */
  schema?: () => SchemaNode | undefined;
}

/** A user's update as admission sees it, with the API's authorizer for checks of its own. */
export interface UpdateAttempt {
  object: KubeObject;
  old: KubeObject;
  user: UserInfo;
  subresource: 'status' | undefined;
  authorize: Authorizer;
}

export type ResourceDefinition = ResourceInfo & ResourceStrategy;

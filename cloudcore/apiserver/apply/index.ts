/**
 * Server-side apply and field ownership (metadata.managedFields), after Kubernetes'
 * structured-merge-diff: apply merges a partial configuration into the live object by the
 * schema (list keys, sets, atomic lists), detects conflicts with other managers, prunes what an
 * applier stopped applying; every other write records the fields it set as an Update.
 */
export { applyConfiguration, type ApplyOutcome, type ApplyRequest, type FieldConflict } from './apply-config.js';
export { recordUpdateFields, type UpdateFieldsOptions } from './record-update.js';
export { updateRecorder, recordCreate, schemaOf, rfc3339, type FieldRecorder } from './write-tracking.js';
export { fieldManagerOf, assertNoForce, isForced, applyConflictError, type WriteVerb } from './request-options.js';
export type { WriteScope } from './tracked-view.js';

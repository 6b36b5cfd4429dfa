import { boolField, int32Field, int64Field, message, messageField, stringField } from './descriptor.js';
import { PodTemplateSpec } from './core-messages.js';
import { IntOrString, LabelSelector, ObjectMeta, Time } from './meta-messages.js';

/**
 * k8s.io/api apps/v1 (package k8s.io.api.apps.v1) and batch/v1 (k8s.io.api.batch.v1)
 * generated.proto: Deployment, Job and CronJob, with their real field numbers.
 */
const APPS = 'k8s.io.api.apps.v1';
const BATCH = 'k8s.io.api.batch.v1';

const RollingUpdateDeployment = message(`${APPS}.RollingUpdateDeployment`, {
  1: messageField('maxUnavailable', IntOrString),
  2: messageField('maxSurge', IntOrString),
});

const DeploymentStrategy = message(`${APPS}.DeploymentStrategy`, {
  1: stringField('type'),
  2: messageField('rollingUpdate', RollingUpdateDeployment),
});

export const DeploymentSpec = message(`${APPS}.DeploymentSpec`, {
  1: int32Field('replicas', { pointer: true }),
  2: messageField('selector', LabelSelector),
  3: messageField('template', PodTemplateSpec),
  4: messageField('strategy', DeploymentStrategy),
  5: int32Field('minReadySeconds'),
  6: int32Field('revisionHistoryLimit', { pointer: true }),
  7: boolField('paused'),
  9: int32Field('progressDeadlineSeconds', { pointer: true }),
});

/** DeploymentStatus without conditions (6); the apiserver resets status on create anyway. */
const DeploymentStatus = message(`${APPS}.DeploymentStatus`, {
  1: int64Field('observedGeneration'),
  2: int32Field('replicas'),
  3: int32Field('updatedReplicas'),
  4: int32Field('availableReplicas'),
  5: int32Field('unavailableReplicas'),
  7: int32Field('readyReplicas'),
  8: int32Field('collisionCount', { pointer: true }),
});

export const Deployment = message(`${APPS}.Deployment`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', DeploymentSpec),
  3: messageField('status', DeploymentStatus),
});

/** JobSpec without podFailurePolicy (11) and the later alpha/beta fields. */
export const JobSpec = message(`${BATCH}.JobSpec`, {
  1: int32Field('parallelism', { pointer: true }),
  2: int32Field('completions', { pointer: true }),
  3: int64Field('activeDeadlineSeconds', { pointer: true }),
  4: messageField('selector', LabelSelector),
  5: boolField('manualSelector', { pointer: true }),
  6: messageField('template', PodTemplateSpec),
  7: int32Field('backoffLimit', { pointer: true }),
  8: int32Field('ttlSecondsAfterFinished', { pointer: true }),
  9: stringField('completionMode', { pointer: true }),
  10: boolField('suspend', { pointer: true }),
});

/** JobStatus without conditions (1) and uncountedTerminatedPods (8). */
const JobStatus = message(`${BATCH}.JobStatus`, {
  2: messageField('startTime', Time),
  3: messageField('completionTime', Time),
  4: int32Field('active'),
  5: int32Field('succeeded'),
  6: int32Field('failed'),
  7: stringField('completedIndexes'),
  9: int32Field('ready', { pointer: true }),
});

export const Job = message(`${BATCH}.Job`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', JobSpec),
  3: messageField('status', JobStatus),
});

const JobTemplateSpec = message(`${BATCH}.JobTemplateSpec`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', JobSpec),
});

export const CronJobSpec = message(`${BATCH}.CronJobSpec`, {
  1: stringField('schedule'),
  2: int64Field('startingDeadlineSeconds', { pointer: true }),
  3: stringField('concurrencyPolicy'),
  4: boolField('suspend', { pointer: true }),
  5: messageField('jobTemplate', JobTemplateSpec),
  6: int32Field('successfulJobsHistoryLimit', { pointer: true }),
  7: int32Field('failedJobsHistoryLimit', { pointer: true }),
  8: stringField('timeZone', { pointer: true }),
});

/** CronJobStatus without active (1): the apiserver resets status on create anyway. */
const CronJobStatus = message(`${BATCH}.CronJobStatus`, {
  4: messageField('lastScheduleTime', Time),
  5: messageField('lastSuccessfulTime', Time),
});

export const CronJob = message(`${BATCH}.CronJob`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', CronJobSpec),
  3: messageField('status', CronJobStatus),
});

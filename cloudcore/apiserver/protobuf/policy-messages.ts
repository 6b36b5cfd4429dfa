import { int32Field, int64Field, message, messageField, messageMap, stringField } from './descriptor.js';
import { DeleteOptions, IntOrString, LabelSelector, ObjectMeta, Time } from './meta-messages.js';

/**
 * k8s.io/api policy/v1 generated.proto (package k8s.io.api.policy.v1), with the real field
 * numbers: the Eviction posted to pods/NAME/eviction (kubectl drain sends it as JSON, client-go
 * clients may send protobuf), and the PodDisruptionBudget
 * `kubectl create poddisruptionbudget` sends. policy/v1beta1's messages have the same numbers.
 */
const POLICY = 'k8s.io.api.policy.v1';

export const Eviction = message(`${POLICY}.Eviction`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('deleteOptions', DeleteOptions),
});

const PodDisruptionBudgetSpec = message(`${POLICY}.PodDisruptionBudgetSpec`, {
  1: messageField('minAvailable', IntOrString),
  2: messageField('selector', LabelSelector),
  3: messageField('maxUnavailable', IntOrString),
  4: stringField('unhealthyPodEvictionPolicy', { pointer: true }),
});

/** The status without conditions (7): the apiserver resets the status on create anyway. */
const PodDisruptionBudgetStatus = message(`${POLICY}.PodDisruptionBudgetStatus`, {
  1: int64Field('observedGeneration'),
  2: messageMap('disruptedPods', Time),
  3: int32Field('disruptionsAllowed'),
  4: int32Field('currentHealthy'),
  5: int32Field('desiredHealthy'),
  6: int32Field('expectedPods'),
});

export const PodDisruptionBudget = message(`${POLICY}.PodDisruptionBudget`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', PodDisruptionBudgetSpec),
  3: messageField('status', PodDisruptionBudgetStatus),
});

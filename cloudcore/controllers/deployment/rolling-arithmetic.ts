/**
 * The arithmetic of Kubernetes' deployment controller (docs/deployments.md § Rolling updates), as
 * pure functions over counts so it can be tested on its own. Ordering of ReplicaSets is the
 * caller's: lists are taken in the order given.
 */

/** What the arithmetic needs of a Deployment. */
export interface DeploymentShape {
  replicas: number;
  rollingUpdate: boolean;
  /** spec.strategy.rollingUpdate.maxSurge / maxUnavailable: an integer or a percentage string. */
  maxSurge: unknown;
  maxUnavailable: unknown;
}

/** What the arithmetic needs of a ReplicaSet. */
export interface ReplicaSetCounts {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
  /** The max-replicas annotation, when present and valid. */
  maxReplicasAnnotation?: number;
}

/**
 * An int-or-percent against a total (GetScaledValueFromIntOrPercent): "25%" of 10 is 3 rounded up
 * (maxSurge), 2 rounded down (maxUnavailable). Anything else counts as 0.
 */
export function scaledValue(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value !== 'string') return 0;
  const percent = /^(\d+)%$/.exec(value);
  if (percent !== null) {
    const exact = (Number(percent[1]) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return /^\d+$/.test(value) ? Number(value) : 0;
}

/** Both bounds for `desired` pods; two zeros would deadlock, so maxUnavailable becomes 1. */
export function resolveFenceposts(maxSurge: unknown, maxUnavailable: unknown, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  const unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) return { surge, unavailable: 1 };
  return { surge, unavailable };
}

export function maxSurgeOf(d: DeploymentShape): number {
  if (!d.rollingUpdate) return 0;
  return resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas).surge;
}

export function maxUnavailableOf(d: DeploymentShape): number {
  if (!d.rollingUpdate || d.replicas === 0) return 0;
  return Math.min(d.replicas, resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas).unavailable);
}

/** The new ReplicaSet's next size (NewRSNewReplicas): grow within replicas + maxSurge pods in all. */
export function newReplicaSetSize(d: DeploymentShape, allReplicas: number, newReplicas: number): number {
  if (!d.rollingUpdate) return d.replicas;
  const maxTotal = d.replicas + maxSurgeOf(d);
  if (allReplicas >= maxTotal) return newReplicas;
  return newReplicas + Math.min(maxTotal - allReplicas, d.replicas - newReplicas);
}

/**
 * New sizes for old ReplicaSets in a rolling update (reconcileOldReplicaSets): first their
 * unavailable pods go (oldest ReplicaSet first), as long as the total stays above what is
 * needed; then available pods, only down to replicas − maxUnavailable available pods in all.
 * `oldRSs` come oldest first. Returns only the sizes that change.
 */
export function oldReplicaSetSizes(d: DeploymentShape, oldRSs: readonly ReplicaSetCounts[], newRS: ReplicaSetCounts | undefined): Map<string, number> {
  const sizes = new Map<string, number>();
  const oldPods = sum(oldRSs.map((rs) => rs.replicas));
  if (oldPods === 0) return sizes;
  const allPods = oldPods + (newRS?.replicas ?? 0);
  const minAvailable = d.replicas - maxUnavailableOf(d);
  const newUnavailable = newRS === undefined ? 0 : newRS.replicas - newRS.available;
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return sizes;
  const current = new Map(oldRSs.map((rs) => [rs.name, rs.replicas]));
  // Unhealthy pods first: removing them costs no availability.
  let cleaned = 0;
  for (const rs of oldRSs) {
    if (cleaned >= maxScaledDown) break;
    if (rs.replicas === 0 || rs.replicas === rs.available) continue;
    const down = Math.min(maxScaledDown - cleaned, rs.replicas - rs.available);
    current.set(rs.name, rs.replicas - down);
    cleaned += down;
  }
  // Then available pods, keeping minAvailable available in all.
  const available = sum(oldRSs.map((rs) => rs.available)) + (newRS?.available ?? 0);
  if (available > minAvailable) {
    const total = available - minAvailable;
    let scaled = 0;
    for (const rs of oldRSs) {
      if (scaled >= total) break;
      const replicas = current.get(rs.name) ?? 0;
      if (replicas === 0) continue;
      const down = Math.min(replicas, total - scaled);
      current.set(rs.name, replicas - down);
      scaled += down;
    }
  }
  for (const rs of oldRSs) if (current.get(rs.name) !== rs.replicas) sizes.set(rs.name, current.get(rs.name) ?? 0);
  return sizes;
}

/**
 * Proportional scaling while a rollout is under way (DeploymentController.scale): the change in
 * replicas + maxSurge is spread over the active ReplicaSets in proportion to their size against
 * the max-replicas annotation (Deployment status.replicas when absent), and what rounding leaves
 * goes to the first one. `active` must be sorted largest first (newer first on ties) when
 * growing, largest first (older first on ties) when shrinking. Returns every new size.
 */
export function proportionalSizes(d: DeploymentShape, active: readonly ReplicaSetCounts[], deploymentStatusReplicas: number): Map<string, number> {
  const sizes = new Map<string, number>();
  const allowed = d.replicas > 0 ? d.replicas + maxSurgeOf(d) : 0;
  const toAdd = allowed - sum(active.map((rs) => rs.replicas));
  let added = 0;
  for (const rs of active) {
    if (toAdd === 0) {
      sizes.set(rs.name, rs.replicas);
      continue;
    }
    const proportion = proportionOf(rs, d, toAdd, added, deploymentStatusReplicas);
    sizes.set(rs.name, rs.replicas + proportion);
    added += proportion;
  }
  const first = active[0];
  if (first !== undefined && toAdd !== added) sizes.set(first.name, Math.max(0, (sizes.get(first.name) ?? 0) + toAdd - added));
  return sizes;
}

function proportionOf(rs: ReplicaSetCounts, d: DeploymentShape, toAdd: number, added: number, statusReplicas: number): number {
  if (rs.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = fractionOf(rs, d, statusReplicas);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function fractionOf(rs: ReplicaSetCounts, d: DeploymentShape, statusReplicas: number): number {
  if (d.replicas === 0) return -rs.replicas;
  const deploymentReplicas = d.replicas + maxSurgeOf(d);
  const annotated = rs.maxReplicasAnnotation ?? statusReplicas;
  if (annotated === 0) return 0;
  // Go's math.Round: halves away from zero.
  const exact = (rs.replicas * deploymentReplicas) / annotated;
  return Math.sign(exact) * Math.round(Math.abs(exact)) - rs.replicas;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Taints and tolerations as the scheduler, the DaemonSet controller and eviction read them. */
export interface Taint {
  key: string;
  value?: string | null;
  effect: string;
}

export interface Toleration {
  key?: string | null;
  operator?: string | null;
  value?: string | null;
  effect?: string | null;
  tolerationSeconds?: number | null;
}

/**
 * Kubernetes' Toleration.ToleratesTaint: an empty effect matches every effect, an empty key with
 * Exists matches every key, Exists ignores the value, Equal (the default) compares it.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if ((toleration.effect ?? '') !== '' && toleration.effect !== taint.effect) return false;
  const key = toleration.key ?? '';
  if (key !== '' && key !== taint.key) return false;
  const operator = toleration.operator ?? '';
  if (operator === 'Exists') return true;
  if (operator === 'Equal' || operator === '') return (toleration.value ?? '') === (taint.value ?? '');
  return false;
}

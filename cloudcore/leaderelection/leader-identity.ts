import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * kube-controller-manager's identity: `<hostname>_<uuid>`, new for every process, so a restarted
 * cloudcore never mistakes its predecessor's lease for its own (docs/leader-election.md § The Lease).
 */
export function leaderIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

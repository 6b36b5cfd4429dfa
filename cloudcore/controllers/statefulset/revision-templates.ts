import { revisionName } from './pod-identity.js';

/**
 * Pod templates by revision name, as this process has seen them. Kubernetes keeps them in
 * ControllerRevision objects, which Outpost does not serve yet (docs/statefulsets.md § Revisions):
 * a pod re-created below the partition after a restart of cloudcore gets the update revision.
 */
export class RevisionTemplates {
  private readonly byRevision = new Map<string, Record<string, unknown>>();

  remember(setName: string, template: Record<string, unknown>): void {
    this.byRevision.set(revisionName(setName, template), structuredClone(template));
  }

  get(revision: string): Record<string, unknown> | undefined {
    return this.byRevision.get(revision);
  }
}

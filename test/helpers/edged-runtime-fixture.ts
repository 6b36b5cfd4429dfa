/**
 * The per-test setup of the edged restart and offline e2e tests: a fresh cloudcore and an edge
 * running pods through its own containerd, plus a CRI client on that containerd, all stopped
 * after each test whatever happened.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import type { CriClient } from '../../edgecore/edged/cri/index.js';
import { startCloud, type CloudProcess } from './cloud-process.js';
import { startEdgedSetup, type EdgedSetup } from './edged-e2e.js';
import { describeRuntime, edgeCri, type PodInRuntime } from './edged-runtime-probe.js';

export interface EdgedRuntimeFixture {
  /** The current test's setup. */
  setup(): EdgedSetup;
  /** A CRI client on the current test's edge containerd. */
  cri(): CriClient;
}

/**
 * Registers beforeEach and afterEach for a cloud and an edged setup on `node`. `beforeStop` runs
 * first in afterEach with the CRI client (e.g. to remove what a test made behind edged's back);
 * whatever it throws, the client, the edge and the clouds are stopped after it.
 */
export function useEdgedRuntime(node: string, options: { beforeStop?: (cri: CriClient) => Promise<void> } = {}): EdgedRuntimeFixture {
  let cloud: CloudProcess | undefined;
  let setup: EdgedSetup | undefined;
  let cri: CriClient | undefined;

  beforeEach(async () => {
    cloud = await startCloud();
    setup = await startEdgedSetup({ node, cloud });
    cri = edgeCri(setup);
  });

  afterEach(async () => {
    try {
      if (cri !== undefined) await options.beforeStop?.(cri);
    } finally {
      cri?.close();
      cri = undefined;
      try {
        await setup?.stop();
      } finally {
        // startEdgedSetup stops only a cloud it started; restartCloud() may have replaced ours.
        await setup?.cloud.stop('SIGKILL');
        await cloud?.stop('SIGKILL');
        setup = undefined;
        cloud = undefined;
      }
    }
  });

  return { setup: () => the(setup), cri: () => the(cri) };
}

/** The value, or a throw when a test's setup is missing it. */
export function the<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('test setup missing');
  return value;
}

/** Exactly one ready sandbox and one running container for the pod (its only container). */
export function expectSingle(runtime: PodInRuntime): void {
  expect(runtime.readySandboxes, describeRuntime(runtime)).toHaveLength(1);
  expect(runtime.runningContainers, describeRuntime(runtime)).toHaveLength(1);
}

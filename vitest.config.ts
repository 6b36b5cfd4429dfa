import { defineConfig } from 'vitest/config';

// Two projects (`vitest run --project unit|e2e`; plain `vitest run` runs both):
// - unit: tests beside the code, plus test/architecture, test/contracts, test/integration
//   (in-process cloud and edge over loopback) and the test helpers' own tests. They start no real
//   process (no containerd, kubectl, mosquitto, no compiled dist/), so `npm run test:unit` is quick;
//   the one exception is etcd, which the etcd store's tests (cloudcore/storage/etcd/) run on loopback.
// - e2e: test/e2e, which start real processes (cloudcore, edgecore, kubectl, containerd).
// End-to-end files start real processes, so at most two files run at once on these two-core
// machines; both projects share the same pool and limits.
export default defineConfig({
  test: {
    exclude: ['node_modules/**', 'dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Unit files share their worker's module cache instead of re-importing the whole graph
          // per file: the import cost dominated (about 120 s of CPU against 25 s), and no unit test
          // mocks modules or leaves global state behind. Set it back to true to chase a leak.
          isolate: false,
          include: [
            '{cli,shared,cloudcore,edgecore,certs,bench,examples}/**/*.test.ts',
            'test/architecture/**/*.test.ts',
            'test/contracts/**/*.test.ts',
            'test/helpers/**/*.test.ts',
            'test/integration/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
        },
      },
    ],
  },
});

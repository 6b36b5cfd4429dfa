import { defineConfig } from 'vitest/config';

// End-to-end files start real processes (cloudcore, kubectl, containerd), so at most two run at
// once on these two-core machines; unit tests beside the code are cheap and share the same pool.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

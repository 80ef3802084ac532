import { defineConfig } from 'vitest/config';

// Suites talk to a real Temporal dev server, PostgreSQL and Chromium, so they get generous
// timeouts and run in separate processes; each suite creates its own database and ports.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});

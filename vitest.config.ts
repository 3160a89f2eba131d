import { defineConfig } from 'vitest/config';

// Tests run against real peers (SQLite files, sshd hosts, nginx, Chromium); those are slow to
// start, so suites get generous timeouts and run file by file in forks.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});

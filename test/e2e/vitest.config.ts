// The end-to-end test runs on its own (`npm run test:e2e`, after `npm ci` in test/e2e): it needs the
// packaged .vsix, code-server and Chromium, which the unit test run (root vitest.config.ts) does not.
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: resolve(__dirname, '../..'),
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/e2e.json' },
  },
});

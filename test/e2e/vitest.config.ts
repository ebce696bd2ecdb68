import path from 'node:path';
import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: real daemons in network namespaces (needs root, see test/e2e/README.md).
// One file at a time: every scenario builds and removes its own hac-e2e<pid>-* namespaces.
export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '../..'),
    include: ['test/e2e/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});

import { configDefaults, defineConfig } from 'vitest/config';

// The main suite. The e2e tests (test/e2e/, real daemons in network namespaces, root only)
// run separately with `npm run test:e2e`.
export default defineConfig({
  test: {
    exclude: [...configDefaults.exclude, 'test/e2e/**'],
  },
});

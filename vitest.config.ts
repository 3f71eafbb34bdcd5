import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.lab/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Suites start their own local AWS on a free port; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});

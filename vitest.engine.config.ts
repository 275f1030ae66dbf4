import { defineConfig } from 'vitest/config';

// Engine tests: a real Docker engine (started by script/engine) builds real images.
export default defineConfig({
  test: {
    include: ['__tests__/engine/**/*.test.ts', '__tests__/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    globalSetup: ['__tests__/engine/setup.ts'],
  },
});

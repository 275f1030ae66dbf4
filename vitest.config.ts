import { defineConfig } from 'vitest/config';

// Unit tests: pure functions and fakes on 127.0.0.1; no Docker engine needed.
export default defineConfig({
  test: {
    include: ['__tests__/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});

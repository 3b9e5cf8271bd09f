import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/** `npm run test:chaos`: every scenario, one at a time (each runs a whole distributed stack). */
export default defineConfig({
  root: resolve(import.meta.dirname, '..'),
  test: {
    name: 'chaos',
    globalSetup: ['packages/testkit/src/global-setup.ts'],
    include: ['chaos/**/*.chaos.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});

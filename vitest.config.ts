import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['packages/testkit/src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'packages', include: ['packages/*/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'services', include: ['services/*/test/**/*.test.ts'] } },
      { test: { name: 'web', include: ['web/src/**/*.test.tsx', 'web/src/**/*.test.ts'], environment: 'jsdom' } },
      { test: { name: 'e2e', include: ['e2e/**/*.e2e.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 } },
      // The reduced chaos set; `npm run test:chaos` runs every scenario (chaos/vitest.config.ts).
      {
        extends: true,
        test: {
          name: 'chaos',
          include: ['chaos/kill-ticketing.chaos.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});

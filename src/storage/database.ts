import { join } from 'node:path';
import pg from 'pg';
import { runner } from 'node-pg-migrate';

/** Anything that can run a query: a pool or a checked-out client (inside a transaction). */
export type Queryable = Pick<pg.Pool, 'query'>;

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');
const CONNECT_TIMEOUT_MS = 10_000;

/** A connection pool for DATABASE_URL-style URLs; callers end() it. */
export function openDatabase(databaseUrl: string, options: { max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client that loses its server (PostgreSQL restarted) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** Applies pending migrations (idempotent; concurrent callers are serialised by an advisory lock). */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'ratchet_migrations',
    log: () => undefined,
    checkOrder: true,
    // Worker processes started together (one per queue, docker compose) wait for each other's migration.
    advisoryLockMode: 'wait',
  });
  return applied.map((migration) => migration.name);
}

/** Runs `work` in a transaction on one client; rolls back on error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** True when a PostgreSQL server answers at this URL. */
export async function databaseAnswers(databaseUrl: string, timeoutMs = 2_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database named in the URL if the server does not have it yet. */
export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name '${name}' in DATABASE_URL must be letters, digits and _`);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
      if (error.code !== '42P04') throw error; // created concurrently
    });
  } finally {
    await admin.end();
  }
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureDatabaseExists, migrateDatabase } from '../../src/storage/database';

/** The PostgreSQL server tests use: TEST_DATABASE_SERVER_URL, else the local one on 127.0.0.1:5432. */
const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated database for one test file; drop() removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ratchet_test_${randomBytes(5).toString('hex')}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  await ensureDatabaseExists(url.toString());
  await migrateDatabase(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const admin = new pg.Client({ connectionString: SERVER_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

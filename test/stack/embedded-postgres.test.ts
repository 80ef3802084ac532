import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/stack/free-port';
import { startEmbeddedPostgres } from '../../src/stack/postgres';
import { openDatabase } from '../../src/storage/database';

describe('embedded PostgreSQL', () => {
  it('starts a migrated database on a machine without one, and keeps its data across a restart', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ratchet-embedded-pg-'));
    // Like the project's .data folder (0755): as root, PostgreSQL runs as another user that must reach it.
    chmodSync(folder, 0o755);
    const port = await findFreePort();
    try {
      const first = await startEmbeddedPostgres(join(folder, 'postgres'), port);
      const db = openDatabase(first.url, { max: 1 });
      await db.query(`INSERT INTO runs (id, spec, spec_hash) VALUES ('kept', '{}', 'h')`);
      await db.end();
      await first.stop();

      const second = await startEmbeddedPostgres(join(folder, 'postgres'), port);
      const again = openDatabase(second.url, { max: 1 });
      const rows = await again.query<{ id: string }>('SELECT id FROM runs');
      expect(rows.rows.map((row) => row.id)).toEqual(['kept']);
      await again.end();
      await second.stop();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});

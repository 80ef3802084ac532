// Which failures say "PostgreSQL is not reachable right now" (a later attempt may succeed) and which
// say the query is wrong, on errors from a real server and a real closed port.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_UNAVAILABLE, OTHER_FAILURE_ATTEMPTS, toActivityFailure } from '../../src/activities/activity-failure';
import { openDatabase } from '../../src/storage/database';
import { databasePortOf, isDatabaseUnavailable } from '../../src/storage/database-unavailable';
import { createTestDatabase } from '../support/database';

let database: { url: string; drop: () => Promise<void> };
let port: number;

/** A port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(() => { throw new Error('expected a failure'); }, (error: unknown) => error);
}

beforeAll(async () => {
  database = await createTestDatabase();
  const pool = openDatabase(database.url);
  port = databasePortOf(pool);
  await pool.end();
});
afterAll(async () => {
  await database?.drop();
});

describe('isDatabaseUnavailable', () => {
  it('reads the port a pool connects to, 5432 when the URL names none', async () => {
    const named = openDatabase('postgres://u@127.0.0.1:6543/db');
    const unnamed = openDatabase('postgres://u@127.0.0.1/db');
    expect([databasePortOf(named), databasePortOf(unnamed)]).toEqual([6543, 5432]);
    await Promise.all([named.end(), unnamed.end()]);
  });

  it('is true for a refused connection on the database port, false when the port is another service\'s', async () => {
    const down = await closedPort();
    const pool = openDatabase(`postgres://root@127.0.0.1:${down}/test`);
    const error = await failureOf(() => pool.query('select 1'));
    await pool.end();
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(error, down)).toBe(true);
    expect(isDatabaseUnavailable(error, down + 1)).toBe(false);
  });

  it('is true for a connection the server ends under a session (as a restart does)', async () => {
    const pool = openDatabase(database.url, { max: 1 });
    const admin = openDatabase(database.url, { max: 1 });
    const client = await pool.connect();
    client.on('error', () => undefined);
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    await admin.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
    const error = await failureOf(() => client.query('select 1'));
    client.release(true);
    await Promise.all([pool.end(), admin.end()]);
    expect(isDatabaseUnavailable(error, port)).toBe(true);
  });

  it('is false for a wrong query and a broken constraint', async () => {
    const pool = openDatabase(database.url);
    const syntax = await failureOf(() => pool.query('selec 1'));
    await pool.query('create temporary table unique_names (name text primary key)');
    const duplicate = await failureOf(() => pool.query("insert into unique_names values ('a'), ('a')"));
    await pool.end();
    expect(syntax).toMatchObject({ code: '42601' });
    expect(duplicate).toMatchObject({ code: '23505' });
    expect(isDatabaseUnavailable(syntax, port)).toBe(false);
    expect(isDatabaseUnavailable(duplicate, port)).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'), port)).toBe(false);
  });
});

describe('toActivityFailure with the database down', () => {
  it('makes an unreachable database a retryable DatabaseUnavailable failure at any attempt, and leaves query errors at 3 attempts', async () => {
    const down = await closedPort();
    const pool = openDatabase(`postgres://root@127.0.0.1:${down}/test`);
    const refused = await failureOf(() => pool.query('select 1'));
    await pool.end();
    const late = toActivityFailure(refused, 'recordStepState', 20, down);
    expect(late).toBeInstanceOf(ApplicationFailure);
    expect(late).toMatchObject({ type: DATABASE_UNAVAILABLE, nonRetryable: false });
    expect((late as Error).message).toContain('recordStepState: the database is not reachable');
    // Without the database port the refusal is just another failure: final at the third attempt.
    expect(toActivityFailure(refused, 'recordStepState', OTHER_FAILURE_ATTEMPTS)).toMatchObject({ nonRetryable: true });
    const syntax = Object.assign(new Error('syntax error at or near "selec"'), { code: '42601' });
    expect(toActivityFailure(syntax, 'recordStepState', OTHER_FAILURE_ATTEMPTS, down)).toMatchObject({ nonRetryable: true });
  });
});

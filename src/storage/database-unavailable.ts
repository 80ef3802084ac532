import type pg from 'pg';

// SQLSTATE class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown, cannot
// connect now: the server is stopping, crashed or still starting).
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123])$/;
// What node-postgres says when a connection dies under it or never comes within its timeout.
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i;
// Socket errors, which count only when they came from the database's own port.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** The port a pool connects to (the PostgreSQL default when its URL names none). */
export function databasePortOf(pool: pg.Pool): number {
  const { connectionString, port } = pool.options;
  if (typeof port === 'number') return port;
  const fromUrl = connectionString ? Number(new URL(connectionString).port) : 0;
  return fromUrl || 5432;
}

/**
 * Whether an error (or one of its causes) says PostgreSQL is not reachable right now, as opposed to
 * a query that is wrong: a restart or outage that a later attempt can outlive.
 */
export function isDatabaseUnavailable(error: unknown, databasePort: number): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const { code, port } = current as Error & { code?: unknown; port?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_SQLSTATE.test(code)) return true;
    if (typeof code === 'string' && SOCKET_CODES.has(code) && port === databasePort) return true;
    if (UNAVAILABLE_MESSAGE.test(current.message)) return true;
  }
  return false;
}

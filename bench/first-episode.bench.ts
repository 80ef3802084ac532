// Time from `npm start` to the first completed episode: starts `node bin/ratchet.mjs start
// --exit-when-done` (what `npm start` runs after its set-up step) with RATCHET_DATA_DIR in a temp
// folder and DATABASE_URL on a scratch database, polls the episodes table, then stops the process
// group with SIGINT (SIGKILL if it lingers). Run: npx tsx bench/first-episode.bench.ts
// Writes bench/results/first-episode.json. It uses the stack's default ports (7233, 8233, 4010, the sites').
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../src/stack/toolchain';
import { createTestDatabase } from '../test/support/database';

const FIRST_EPISODE_TIMEOUT_MS = 240_000;
const STOP_GRACE_MS = 20_000;

const say = (line: string) => process.stderr.write(`${line}\n`);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** Whether something already listens on a loopback port (another engineer's `npm start`, say). */
function portBusy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const DEFAULT_PORTS = [7233, 8233, 4010];
const startLoad = loadavg();
const busy = (await Promise.all(DEFAULT_PORTS.map(async (port) => ((await portBusy(port)) ? port : null)))).filter((port) => port !== null);
if (busy.length > 0) {
  const failure = `not measured: the stack's default port(s) ${busy.join(', ')} are already in use on 127.0.0.1 (another local stack is running)`;
  say(`first-episode: ${failure}`);
  await mkdir(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(join(PROJECT_ROOT, 'bench', 'results', 'first-episode.json'), `${JSON.stringify({ command: 'node bin/ratchet.mjs start --exit-when-done', startToFirstEpisodeSeconds: null, failure, loadAverageAtStart: startLoad.map((value) => round(value)), node: process.version }, null, 2)}\n`);
  process.exit(0);
}
const dataDir = await mkdtemp(join(tmpdir(), 'ratchet-first-episode-'));
const database = await createTestDatabase();
const started = performance.now();
const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'ratchet.mjs'), 'start', '--exit-when-done'], {
  cwd: PROJECT_ROOT,
  env: { ...process.env, RATCHET_DATA_DIR: dataDir, DATABASE_URL: database.url },
  stdio: ['ignore', 'ignore', 'pipe'],
  detached: true,
});
let log = '';
child.stderr.on('data', (chunk: Buffer) => {
  log = (log + chunk.toString()).slice(-4000);
});
const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
let exitedEarly: number | null | undefined;
void exited.then((code) => {
  exitedEarly = code;
});

const db = new pg.Client({ connectionString: database.url });
await db.connect();
let firstEpisodeSeconds: number | null = null;
let failure: string | null = null;
try {
  const deadline = Date.now() + FIRST_EPISODE_TIMEOUT_MS;
  while (Date.now() < deadline && exitedEarly === undefined) {
    const result = await db.query(`SELECT count(*)::int AS n FROM episodes WHERE status = 'completed'`).catch(() => ({ rows: [{ n: 0 }] }));
    if ((result.rows[0] as { n: number }).n > 0) {
      firstEpisodeSeconds = (performance.now() - started) / 1000;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (firstEpisodeSeconds === null) {
    failure = exitedEarly !== undefined
      ? `ratchet start exited with code ${exitedEarly} before any episode completed: ${log.trim().split('\n').slice(-5).join(' | ')}`
      : `no episode completed within ${FIRST_EPISODE_TIMEOUT_MS} ms`;
  }
} finally {
  await db.end();
  if (exitedEarly === undefined && child.pid !== undefined) {
    process.kill(-child.pid, 'SIGINT');
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS))]);
    if (!stopped) process.kill(-child.pid, 'SIGKILL');
  }
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
}
if (failure) say(`first-episode: ${failure}`);
const results = {
  command: 'node bin/ratchet.mjs start --exit-when-done',
  startToFirstEpisodeSeconds: firstEpisodeSeconds === null ? null : round(firstEpisodeSeconds),
  failure,
  loadAverageAtStart: startLoad.map((value) => round(value)),
  node: process.version,
};
console.table([results]);
await mkdir(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
await writeFile(join(PROJECT_ROOT, 'bench', 'results', 'first-episode.json'), `${JSON.stringify(results, null, 2)}\n`);

// A real run with canary secrets (an API key the model endpoint is called with, a database password),
// then a scan of everything an operator or attacker could read: workflow inputs, full histories,
// logs and reports. The local model server ignores keys and the local PostgreSQL trusts loopback,
// so both canaries are accepted and really used.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack';
import { fetchAllHistories, metadataOf, type StoredHistory } from './history-payloads';

const API_KEY = `sk-canary-${randomBytes(12).toString('hex')}`;
const DB_PASSWORD = `pw-canary-${randomBytes(12).toString('hex')}`;
const API_KEY_ENV = 'RATCHET_CANARY_API_KEY';
const CANARIES = [API_KEY, DB_PASSWORD];

/** Files under `root`, as text; zip files (Playwright traces) are read entry by entry with unzip. */
function readTree(root: string): Array<{ path: string; text: string }> {
  const files: Array<{ path: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (name.endsWith('.zip')) files.push({ path, text: spawnSync('unzip', ['-p', path], { encoding: 'latin1', maxBuffer: 512 * 1024 * 1024 }).stdout });
      else files.push({ path, text: readFileSync(path, 'latin1') });
    }
  };
  walk(root);
  return files;
}

/** Where a canary occurs in `text`, with a little context, for the failure message. */
function leaksIn(source: string, text: string): string[] {
  return CANARIES.flatMap((canary) => {
    const at = text.indexOf(canary);
    return at < 0 ? [] : [`${source}: ...${text.slice(Math.max(0, at - 120), at + canary.length + 40)}...`];
  });
}

/** An HTTP proxy in front of the model server that records the Authorization headers it forwards. */
async function startRecordingProxy(target: string): Promise<{ url: string; authorizations: string[]; close: () => Promise<void> }> {
  const authorizations: string[] = [];
  const targetUrl = new URL(target);
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.headers.authorization) authorizations.push(request.headers.authorization);
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)).map(([name, value]) => [name, String(value)]));
      fetch(new URL(request.url ?? '/', targetUrl.origin), { method: request.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined })
        .then(async (answer) => {
          const body = Buffer.from(await answer.arrayBuffer());
          response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
        })
        .catch((error: unknown) => response.writeHead(502).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${targetUrl.pathname}`,
    authorizations,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('secrets in a real run', { timeout: 900_000 }, () => {
  let stack: TestStack;
  let worker: ChildProcess;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let runId: string;
  let histories: StoredHistory[];
  let stopProcess: (child: ChildProcess) => Promise<void>;
  let runCli: typeof import('../support/run-cli').runCli;
  let reportOutput = '';
  const reportDir = () => join(stack.dataDir, 'report');

  beforeAll(async () => {
    // Test databases are created on this server URL: a password in it reaches DATABASE_URL of the stack and worker.
    process.env.TEST_DATABASE_SERVER_URL = `postgres://postgres:${DB_PASSWORD}@127.0.0.1:5432/postgres`;
    process.env[API_KEY_ENV] = API_KEY;
    const { startTestStack } = await import('../support/stack');
    const { spawnWorkerProcess, stopProcess: stop } = await import('../support/worker-process');
    const { resultOrOperatorWait, smallRunSpec, startRun } = await import('../support/runs');
    runCli = (await import('../support/run-cli')).runCli;
    stopProcess = stop;

    stack = await startTestStack({ workerQueues: [] });
    proxy = await startRecordingProxy(stack.local.modelBaseUrl ?? '');
    // The whole run happens in a `ratchet worker` process whose output is kept in the data folder.
    process.env.RATCHET_LOG_LEVEL = 'info';
    worker = spawnWorkerProcess(stack, 'worker');
    const endpoint = { baseUrl: proxy.url, apiKeyEnv: API_KEY_ENV, model: 'ratchet-base' };
    const spec = smallRunSpec('secret-scan', {
      model: endpoint, judge: endpoint, embeddings: endpoint,
      finetune: { provider: { provider: 'openai', endpoint, pollIntervalMs: 300 } },
    });
    const started = await startRun(stack.client, stack.deps.db, spec);
    runId = started.runId;
    await resultOrOperatorWait(stack.client, started.runId);
    histories = await fetchAllHistories(stack.client);
    const report = runCli(['report', runId, '--out', reportDir()], { env: { DATABASE_URL: stack.databaseUrl } });
    expect(report.status, report.stderr).toBe(0);
    reportOutput = `${report.stdout}\n${report.stderr}`;
  }, 900_000);

  afterAll(async () => {
    if (worker) await stopProcess(worker);
    await proxy?.close();
    await stack?.teardown();
  });

  it('really uses both canaries: the password is in DATABASE_URL and accepted, the key is sent to the model endpoint', async () => {
    expect(stack.databaseUrl).toContain(`:${DB_PASSWORD}@`);
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    await client.end();
    expect(proxy.authorizations.length).toBeGreaterThan(10);
    expect(new Set(proxy.authorizations)).toEqual(new Set([`Bearer ${API_KEY}`]));
  });

  it('keeps both out of workflow inputs: start arguments, memos and search attributes of every workflow', async () => {
    expect(histories.length).toBeGreaterThan(5);
    const leaks: string[] = [];
    for (const history of histories) {
      const description = await stack.client.workflow.getHandle(history.workflowId, history.runId).describe();
      const inputs = JSON.stringify({ memo: description.memo, searchAttributes: description.typedSearchAttributes, raw: description.raw }, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value));
      leaks.push(...leaksIn(`inputs of ${history.workflowId}`, inputs));
    }
    expect(leaks).toEqual([]);
  });

  it('keeps both out of the full history of every workflow, every payload decoded', () => {
    const payloads = histories.flatMap((history) => history.payloads);
    expect(payloads.length).toBeGreaterThan(50);
    // Without RATCHET_PAYLOAD_KEY payloads are plain JSON: nothing changes when the codec is off.
    expect(new Set(payloads.map((payload) => metadataOf(payload, 'encoding')))).toEqual(new Set(['json/plain']));
    const decoded = payloads.map((payload) => Buffer.from(payload.data ?? new Uint8Array()).toString('utf8')).join('\n');
    expect(decoded).toContain(runId);
    const leaks = [
      ...histories.flatMap((history) => leaksIn(`history of ${history.workflowId}`, history.json)),
      ...leaksIn('decoded payloads', decoded),
    ];
    expect(leaks).toEqual([]);
  });

  it('keeps both out of the logs: the worker process output and every file under the data folder', () => {
    const files = readTree(stack.dataDir).filter((file) => !file.path.startsWith(reportDir()));
    const workerLog = files.find((file) => file.path.endsWith('worker.log'));
    expect(workerLog?.text).toContain('workers serving');
    expect(workerLog?.text).toContain('episode finished');
    expect(workerLog?.text).toContain('PostgreSQL (configured)');
    expect(files.some((file) => file.path.endsWith('.zip') && file.text.length > 1000)).toBe(true);
    expect(files.flatMap((file) => leaksIn(file.path, file.text))).toEqual([]);
  });

  it('keeps both out of the report: the command\'s output, index.html, report.json and the trajectory pages', () => {
    const files = readTree(reportDir());
    expect(files.some((file) => file.path.endsWith('index.html'))).toBe(true);
    expect(files.some((file) => file.path.endsWith('report.json') && file.text.includes(runId))).toBe(true);
    expect(files.filter((file) => file.path.includes('/episodes/') && file.path.endsWith('.html')).length).toBeGreaterThan(0);
    expect([...leaksIn('ratchet report output', reportOutput), ...files.flatMap((file) => leaksIn(file.path, file.text))]).toEqual([]);
  });

  it('keeps the password out of errors that name the database', () => {
    const unreachable = `postgres://postgres:${DB_PASSWORD}@127.0.0.1:1/ratchet`;
    for (const args of [['report', 'no-such-run', '--out', join(stack.dataDir, 'nothing')], ['status']]) {
      const result = runCli(args, { env: { DATABASE_URL: unreachable, TEMPORAL_ADDRESS: '127.0.0.1:1' }, timeoutMs: 60_000 });
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).not.toBe(0);
      expect(leaksIn(`ratchet ${args.join(' ')}`, `${result.stdout}\n${result.stderr}`)).toEqual([]);
    }
    const missing = runCli(['report', 'no-such-run', '--out', join(stack.dataDir, 'nothing')], { env: { DATABASE_URL: stack.databaseUrl } });
    expect(missing.status).not.toBe(0);
    expect(leaksIn('ratchet report no-such-run', `${missing.stdout}\n${missing.stderr}`)).toEqual([]);
  });
});

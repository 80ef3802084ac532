import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../workflows/definitions';
import { readToolchain } from './toolchain';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface TemporalDevServerOptions {
  ip?: string;
  port: number;
  uiPort: number;
  /** SQLite file for the history; omitted = in memory. */
  dbFile?: string;
  /** Where the server's own log goes. */
  logFile: string;
  namespace?: string;
  /** Remote codec endpoint the Web UI decodes payloads with (when payloads are encrypted). */
  uiCodecEndpoint?: string;
}

export interface RunningTemporalServer {
  address: string;
  uiUrl: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Waits until a Temporal frontend answers at `address`. */
export async function waitForTemporal(address: string, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`Temporal at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

/** Registers Ratchet's search attributes on a namespace (already-registered ones are fine). */
export async function ensureSearchAttributes(address: string, namespace = 'default'): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const wanted = Object.values(SEARCH_ATTRIBUTES);
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = wanted.filter((key) => !(key.name in (existing.customAttributes ?? {})));
    if (missing.length === 0) return;
    const typeCode: Record<string, number> = { KEYWORD: 2, INT: 3 }; // temporal.api.enums.v1.IndexedValueType
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, typeCode[key.type] ?? 2])),
    });
  } finally {
    await connection.close();
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts the Temporal CLI dev server (with its Web UI) from the binary set-up found, or, when set-up
 * found none, through the Temporal SDK's own download.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningTemporalServer> {
  const ip = options.ip ?? '127.0.0.1';
  const address = `${ip}:${options.port}`;
  const uiUrl = `http://${ip}:${options.uiPort}`;
  const namespace = options.namespace ?? 'default';
  const toolchain = readToolchain();
  if (toolchain.temporal.path === null) {
    const environment = await TestWorkflowEnvironment.createLocal({
      server: { ip, port: options.port, ui: true, uiPort: options.uiPort, dbFilename: options.dbFile, namespace,
        extraArgs: options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : [] },
    });
    await ensureSearchAttributes(address, namespace);
    return { address, uiUrl, pid: undefined, stop: () => environment.teardown() };
  }
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(options.port), '--ui-port', String(options.uiPort),
    '--namespace', namespace, '--log-format', 'json', '--log-level', 'warn', '--ui-disable-news-fetch'];
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'a');
  const child = spawn(toolchain.temporal.path, args, { stdio: ['ignore', log, log] });
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`the Temporal dev server exited (${code ?? signal}) before it was ready; see ${options.logFile}`)));
  });
  try {
    await Promise.race([waitForTemporal(address), exited]);
  } catch (error) {
    // A server that did not answer in time must not keep running (and holding the port and history file).
    child.kill('SIGKILL');
    await waitForExit(child, STOP_TIMEOUT_MS);
    throw error;
  }
  await ensureSearchAttributes(address, namespace);
  return {
    address,
    uiUrl,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_TIMEOUT_MS);
      }
    },
  };
}

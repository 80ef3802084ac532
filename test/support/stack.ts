import { mkdtempSync, rmSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '../../src/config/env';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/stack/local-stack';
import type { TaskQueueKind } from '../../src/workflows/definitions';
import { createTestDatabase } from './database';

export interface TestStack extends LocalStack {
  dataDir: string;
  /** A Temporal client connected to the stack's server. */
  client: Client;
  /** Stops the stack and removes its database and data folder. */
  teardown(): Promise<void>;
}

/**
 * A whole local stack for one test file: a real Temporal dev server on free ports with history in
 * memory, a fresh PostgreSQL database, the built-in sites and the local model server on free ports,
 * and (unless `workerQueues: []`) in-process workers for every queue.
 */
export async function startTestStack(options: { workerQueues?: TaskQueueKind[]; browserContexts?: number; persistentHistory?: boolean; temporalAddress?: string; modelServerMinTrainingMs?: number } = {}): Promise<TestStack> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'ratchet-test-'));
  const env = readEnv({
    ...process.env, DATABASE_URL: database.url, RATCHET_DATA_DIR: dataDir, TEMPORAL_ADDRESS: options.temporalAddress,
    RATCHET_MODEL_SERVER_MIN_TRAINING_MS: options.modelServerMinTrainingMs === undefined ? undefined : String(options.modelServerMinTrainingMs),
  });
  const stackOptions: LocalStackOptions = {
    env,
    ports: { temporal: 0, temporalUi: 0, modelServer: 0, sites: 'ephemeral', codecServer: 0 },
    workerQueues: options.workerQueues,
    browserContexts: options.browserContexts ?? 2,
    ephemeralHistory: !options.persistentHistory,
  };
  // A free port found by one test file can be taken by another before the dev server binds it:
  // start again (new free ports) when a server exits before it is ready.
  let stack: LocalStack | undefined;
  for (let attempt = 1; !stack; attempt += 1) {
    try {
      stack = await startLocalStack(stackOptions);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof Error) || !/exited .*before it was ready|address already in use/.test(error.message)) throw error;
    }
  }
  const connection = await Connection.connect({ address: stack.temporalAddress });
  return {
    ...stack,
    dataDir,
    client: new Client({ connection, namespace: stack.namespace, dataConverter: { payloadCodecs: stack.payloadCodecs } }),
    async teardown() {
      await connection.close();
      await stack.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

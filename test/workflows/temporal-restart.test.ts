import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/stack/free-port';
import { startTemporalDevServer, type RunningTemporalServer } from '../../src/stack/temporal-dev-server';
import { listEpisodes } from '../../src/storage/episodes';
import type { ImprovementRunResult } from '../../src/workflows/definitions';
import { smallRunSpec, startRun, waitUntil } from '../support/runs';
import { startTestStack, type TestStack } from '../support/stack';

let server: RunningTemporalServer;
let stack: TestStack;
let client: Client;
const historyDir = mkdtempSync(join(tmpdir(), 'ratchet-temporal-'));
const serverOptions = { port: 0, uiPort: 0, dbFile: join(historyDir, 'temporal.db'), logFile: join(historyDir, 'temporal.log') };

beforeAll(async () => {
  serverOptions.port = await findFreePort();
  serverOptions.uiPort = await findFreePort();
  server = await startTemporalDevServer(serverOptions);
  stack = await startTestStack({ temporalAddress: server.address });
  client = stack.client;
});
afterAll(async () => {
  await stack?.teardown();
  await server?.stop();
});

describe('Temporal server restart', { timeout: 600_000 }, () => {
  it('continues a run after the Temporal dev server is stopped and started again mid-run', async () => {
    const { runId } = await startRun(client, stack.deps.db, smallRunSpec('restart'));
    await waitUntil('the first episodes to finish', async () => (await listEpisodes(stack.deps.db, { runId })).some((episode) => episode.status === 'completed'), 180_000);
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    server = await startTemporalDevServer(serverOptions);

    // The history survived (kept in the dev server's SQLite file); the workers reconnect on their own.
    const result = await waitUntil('the run to complete after the restart', async () => {
      try {
        return await client.workflow.getHandle(runId).result() as ImprovementRunResult;
      } catch {
        return undefined;
      }
    }, 300_000, 1_000);
    expect(result.roundsCompleted).toBe(1);
    const episodes = await listEpisodes(stack.deps.db, { runId });
    expect(episodes.every((episode) => episode.status === 'completed')).toBe(true);
  });
});

// The stack a chaos run disturbs: its own embedded PostgreSQL (never the machine's server), a
// Temporal dev server with its history in a file (so a restart keeps it), the built-in sites and
// the local model server in this process, and one worker process per task queue.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { readEnv } from '../../src/config/env';
import { startModelServer } from '../../src/model-server';
import { startSiteServer } from '../../src/sites';
import { findFreePort } from '../../src/stack/free-port';
import { startLocalStack, type LocalStack } from '../../src/stack/local-stack';
import { startEmbeddedPostgres, type ResolvedDatabase } from '../../src/stack/postgres';
import { startTemporalDevServer, type RunningTemporalServer, type TemporalDevServerOptions } from '../../src/stack/temporal-dev-server';
import type { TaskQueueKind } from '../../src/workflows/definitions';
import { WorkerProcessPool } from './worker-process-pool';

/** How long a stopped server stays down before it is started again. */
const RESTART_PAUSE_MS = 2_000;

/** A client connection to Temporal, retried: on a loaded machine the first attempts can time out. */
async function connectPatiently(address: string, attempts = 5): Promise<Connection> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await Connection.connect({ address, connectTimeout: 30_000 });
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

/** Starts a stopped server again, a few times if it does not come up (a loaded machine can miss a start deadline). */
async function startAgain<T>(what: string, start: () => Promise<T>, attempts = 3): Promise<T> {
  const errors: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
      await new Promise((resolve) => setTimeout(resolve, RESTART_PAUSE_MS));
    }
  }
  throw new Error(`${what} did not start again after ${attempts} attempts: ${errors.join('; ')}`);
}

/** An embedded PostgreSQL on a free port that can be stopped and started again with its data. */
export class RestartablePostgres {
  private server: ResolvedDatabase | undefined;

  private constructor(private readonly databaseDir: string, readonly port: number) {}

  /** Starts a fresh embedded PostgreSQL under `databaseDir` on a free port. */
  static async start(databaseDir: string): Promise<RestartablePostgres> {
    const postgres = new RestartablePostgres(databaseDir, await findFreePort());
    postgres.server = await startEmbeddedPostgres(databaseDir, postgres.port);
    return postgres;
  }

  /** The URL of database `name` on this server (created and migrated by the stack that uses it). */
  urlOf(name: string): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/${name}`;
  }

  /** Stops the server, waits `outageMs`, and starts it again on the same port and data; returns the ms it was down. */
  async restart(outageMs = RESTART_PAUSE_MS): Promise<number> {
    const stoppedAt = Date.now();
    await this.server?.stop();
    this.server = undefined;
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    this.server = await startAgain('PostgreSQL', () => startEmbeddedPostgres(this.databaseDir, this.port));
    return Date.now() - stoppedAt;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}

/**
 * Ports of the built-in sites and the model server. Both runs use the same ones: site URLs appear in
 * observations and step texts, so other ports would change trajectories' embeddings and VERTEX_DTW.
 */
export interface ServicePorts {
  shopping: number;
  shopping_admin: number;
  reddit: number;
  modelServer: number;
}

/** Free ports for the built-in sites and the model server, chosen once per experiment. */
export async function chooseServicePorts(): Promise<ServicePorts> {
  return { shopping: await findFreePort(), shopping_admin: await findFreePort(), reddit: await findFreePort(), modelServer: await findFreePort() };
}

export interface ChaosStackOptions {
  /** Folder for this stack's Temporal history, model-server data, artifacts and logs. */
  dataDir: string;
  postgres: RestartablePostgres;
  /** Database name on `postgres` (one per stack). */
  databaseName: string;
  servicePorts: ServicePorts;
  queues: readonly TaskQueueKind[];
  browserContexts: number;
  log: (line: string) => void;
}

/** One stack: Temporal (restartable), database, sites, model server, worker processes, and a client. */
export class ChaosStack {
  private constructor(
    readonly local: LocalStack,
    readonly workers: WorkerProcessPool,
    private temporal: RunningTemporalServer,
    private readonly temporalOptions: TemporalDevServerOptions,
    private readonly connection: Connection,
    readonly client: Client,
    /** Closes the sites and the model server. */
    private readonly closeServices: () => Promise<void>,
  ) {}

  static async start(options: ChaosStackOptions): Promise<ChaosStack> {
    mkdirSync(join(options.dataDir, 'logs'), { recursive: true });
    const temporalOptions: TemporalDevServerOptions = {
      port: await findFreePort(),
      uiPort: await findFreePort(),
      dbFile: join(options.dataDir, 'temporal.db'),
      logFile: join(options.dataDir, 'logs', 'temporal.log'),
    };
    const { shopping, shopping_admin, reddit, modelServer: modelServerPort } = options.servicePorts;
    const stops: Array<() => Promise<void>> = [];
    try {
      const temporal = await startTemporalDevServer(temporalOptions);
      stops.push(() => temporal.stop());
      const sites = await startSiteServer({ ports: { shopping, shopping_admin, reddit } });
      stops.push(() => sites.close());
      const modelServer = await startModelServer({ port: modelServerPort, dataDir: join(options.dataDir, 'model-server') });
      stops.push(() => modelServer.close());
      const databaseUrl = options.postgres.urlOf(options.databaseName);
      const modelBaseUrl = modelServer.url;
      const siteUrls = sites.urls;
      // The sites and model server run here; the stack only resolves (creates, migrates) the database.
      const local = await startLocalStack({
        env: readEnv({
          ...process.env, TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: databaseUrl, RATCHET_DATA_DIR: options.dataDir,
          RATCHET_MODEL_SERVER_URL: modelBaseUrl, RATCHET_SITE_URLS: JSON.stringify(siteUrls),
        }),
        localServices: false,
        workerQueues: [],
      });
      stops.push(() => local.stop());
      const workers = new WorkerProcessPool(
        { temporalAddress: temporal.address, databaseUrl, dataDir: options.dataDir, modelBaseUrl, siteUrls },
        { queues: options.queues, browserContexts: options.browserContexts, logDir: join(options.dataDir, 'logs'), log: options.log },
      );
      stops.push(() => workers.stopAll());
      await workers.startAll();
      const connection = await connectPatiently(temporal.address);
      const closeServices = async () => {
        await modelServer.close();
        await sites.close();
      };
      return new ChaosStack(local, workers, temporal, temporalOptions, connection, new Client({ connection, namespace: local.namespace }), closeServices);
    } catch (error) {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      throw error;
    }
  }

  /** Stops the Temporal dev server, waits, and starts it again on the same ports and history; returns the ms it was down. */
  async restartTemporal(): Promise<number> {
    const stoppedAt = Date.now();
    await this.temporal.stop();
    await new Promise((resolve) => setTimeout(resolve, RESTART_PAUSE_MS));
    this.temporal = await startAgain('the Temporal dev server', () => startTemporalDevServer(this.temporalOptions));
    return Date.now() - stoppedAt;
  }

  /** Stops the workers, the client, the local services and Temporal (the PostgreSQL server belongs to the caller). */
  async stop(): Promise<void> {
    await this.workers.stopAll();
    await this.connection.close().catch(() => undefined);
    await this.local.stop();
    await this.closeServices();
    await this.temporal.stop();
  }
}

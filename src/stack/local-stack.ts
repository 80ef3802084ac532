import { join, resolve } from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { ActivityDependencies, LocalServices } from '../activities/dependencies';
import type { RatchetEnv } from '../config/env';
import { WorkerBrowser } from '../browser/worker-browser';
import { startModelServer } from '../model-server';
import { startSiteServer } from '../sites';
import { builtinSiteLogins } from './builtin-site-logins';
import { LOCAL_TEMPORAL_ADDRESS } from '../runs/temporal-client';
import { DEFAULT_CODEC_SERVER_PORT, startCodecServer } from '../security/codec-server';
import { payloadCodecsFromEnv } from '../security/payload-codec';
import { openDatabase } from '../storage/database';
import { ALL_QUEUES, createWorkers } from '../workers/create-workers';
import type { TaskQueueKind } from '../workflows/definitions';
import { findFreePort } from './free-port';
import { resolveDatabase } from './postgres';
import { ensureSearchAttributes, startTemporalDevServer, waitForTemporal } from './temporal-dev-server';

let runtimeInstalled = false;

/** The Temporal SDK's logger for this process, at the configured level (once per process). */
function installRuntimeLogger(level: RatchetEnv['RATCHET_LOG_LEVEL']): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const levels = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;
  try {
    Runtime.install({ logger: new DefaultLogger(levels[level]) });
  } catch {
    // Another part of this process (a test harness) installed the runtime first; keep that one.
  }
}

/** Ports of the embedded services; 0 picks a free one (tests). */
export interface LocalStackPorts {
  temporal: number;
  temporalUi: number;
  modelServer: number;
  sites: 'default' | 'ephemeral';
  /** The payload codec endpoint for the Web UI (only when RATCHET_PAYLOAD_KEY is set). */
  codecServer: number;
}

export const DEFAULT_PORTS: LocalStackPorts = { temporal: 7233, temporalUi: 8233, modelServer: 4010, sites: 'default', codecServer: DEFAULT_CODEC_SERVER_PORT };

export interface LocalStackOptions {
  env: RatchetEnv;
  ports?: Partial<LocalStackPorts>;
  /** Queues this process serves; [] for none. */
  workerQueues?: TaskQueueKind[];
  browserContexts?: number;
  /** Start the built-in sites and the local model server (when the spec or env does not name external ones). */
  localServices?: boolean;
  /** Start a Temporal dev server when TEMPORAL_ADDRESS is unset (default), or only connect to the local one. */
  startTemporal?: boolean;
  /** Keep the Temporal history in memory instead of .data/temporal.db (tests). */
  ephemeralHistory?: boolean;
  /** How long a configured DATABASE_URL that does not answer is waited for (worker processes: a restart outlives an outage). */
  databaseWaitMs?: number;
  log?: (message: string) => void;
}

export interface LocalStack {
  temporalAddress: string;
  namespace: string;
  uiUrl: string | null;
  /** Payload codecs of this stack's workers (encryption when RATCHET_PAYLOAD_KEY is set); clients need the same. */
  payloadCodecs: PayloadCodec[];
  /** The codec endpoint the Web UI decodes with, when this stack started one. */
  codecEndpoint: string | null;
  databaseUrl: string;
  databaseKind: string;
  local: LocalServices;
  deps: ActivityDependencies;
  /** Resolves when the workers stop (after stop()). */
  workersDone: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Brings up what a run needs on one machine: Temporal (TEMPORAL_ADDRESS, else the CLI dev server with
 * its UI and history under .data/), PostgreSQL, the built-in sites, the local model server, and the
 * workers. stop() stops exactly what this call started, in reverse order.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const dataDir = resolve(options.env.RATCHET_DATA_DIR);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`while stopping: ${String(error)}`));
    stops.length = 0;
  };
  try {
    const payloadCodecs = payloadCodecsFromEnv(options.env);
    let codecEndpoint: string | null = null;
    let temporalAddress = options.env.TEMPORAL_ADDRESS ?? (options.startTemporal === false ? LOCAL_TEMPORAL_ADDRESS : undefined);
    let uiUrl: string | null = null;
    if (temporalAddress) {
      await waitForTemporal(temporalAddress, 15_000);
      await ensureSearchAttributes(temporalAddress, options.env.TEMPORAL_NAMESPACE);
    } else {
      const port = ports.temporal === 0 ? await findFreePort() : ports.temporal;
      const uiPort = ports.temporalUi === 0 ? await findFreePort() : ports.temporalUi;
      const [codec] = payloadCodecs;
      if (codec) {
        // The UI runs in the operator's browser and posts payloads here to show them decrypted.
        const codecServer = await startCodecServer({ codec, port: ports.codecServer, uiOrigins: [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`] });
        stops.push(() => codecServer.close());
        codecEndpoint = codecServer.url;
        log(`payloads encrypted; codec endpoint for the Web UI at ${codecServer.url}`);
      }
      const server = await startTemporalDevServer({
        port, uiPort, namespace: options.env.TEMPORAL_NAMESPACE,
        dbFile: options.ephemeralHistory ? undefined : join(dataDir, 'temporal.db'),
        logFile: join(dataDir, 'logs', `temporal-${port}.log`),
        uiCodecEndpoint: codecEndpoint ?? undefined,
      });
      stops.push(() => server.stop());
      temporalAddress = server.address;
      uiUrl = server.uiUrl;
      log(`Temporal dev server at ${server.address}, UI at ${server.uiUrl}`);
    }

    const database = await resolveDatabase({ configuredUrl: options.env.DATABASE_URL, dataDir, waitMs: options.databaseWaitMs, log });
    stops.push(() => database.stop());
    log(`PostgreSQL (${database.kind}) at ${database.url.replace(/\/\/[^@]*@/, '//')}`);

    const local: LocalServices = {
      modelBaseUrl: options.env.RATCHET_MODEL_SERVER_URL,
      siteUrls: options.env.RATCHET_SITE_URLS,
      siteLogins: options.env.RATCHET_SITE_URLS ? builtinSiteLogins() : undefined,
    };
    if (options.localServices ?? true) {
      const sites = await startSiteServer(ports.sites === 'ephemeral' ? { ports: { shopping: 0, shopping_admin: 0, reddit: 0 } } : {});
      stops.push(() => sites.close());
      local.siteUrls = sites.urls;
      local.siteLogins = Object.fromEntries(Object.entries(sites.sites).map(([name, site]) => [name, site.login]));
      log(`built-in sites: ${Object.entries(sites.urls).map(([placeholder, url]) => `${placeholder}=${url}`).join(' ')}`);
      const modelServer = await startModelServer({ port: ports.modelServer, dataDir: join(dataDir, 'model-server'), minTrainingMs: options.env.RATCHET_MODEL_SERVER_MIN_TRAINING_MS });
      stops.push(() => modelServer.close());
      local.modelBaseUrl = modelServer.url;
      log(`local model server at ${modelServer.url}`);
    }

    const db = openDatabase(database.url);
    stops.push(() => db.end());
    const browser = new WorkerBrowser();
    stops.push(() => browser.close());
    const deps: ActivityDependencies = {
      db,
      artifactsDir: join(dataDir, 'artifacts'),
      local,
      browser,
    };

    let workersDone: Promise<void> = Promise.resolve();
    const queues = options.workerQueues ?? ALL_QUEUES;
    if (queues.length > 0) {
      installRuntimeLogger(options.env.RATCHET_LOG_LEVEL);
      const connection = await NativeConnection.connect({ address: temporalAddress });
      const workers = await createWorkers(queues, { connection, namespace: options.env.TEMPORAL_NAMESPACE, deps, browserContexts: options.browserContexts ?? 2, payloadCodecs });
      workersDone = workers.run();
      // Workers stop first (they use everything else), then the connection.
      stops.push(async () => {
        await connection.close();
      });
      stops.push(async () => {
        workers.shutdown();
        await workersDone;
      });
      log(`workers serving: ${queues.join(', ')}`);
    }

    return {
      temporalAddress,
      namespace: options.env.TEMPORAL_NAMESPACE,
      uiUrl,
      payloadCodecs,
      codecEndpoint,
      databaseUrl: database.url,
      databaseKind: database.kind,
      local,
      deps,
      workersDone,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

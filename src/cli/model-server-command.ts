import { join } from 'node:path';
import type { Command } from 'commander';
import { readEnv } from '../config/env';

/** Port the local model server listens on when --port is not given. */
const DEFAULT_MODEL_SERVER_PORT = 8700;

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port ${JSON.stringify(value)}: expected a port number 0..65535`);
  return port;
}

function parseMilliseconds(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`--min-training-ms ${JSON.stringify(value)}: expected a whole number of milliseconds >= 0`);
  return ms;
}

/** `ratchet model-server`: serve the local OpenAI-compatible policy until Ctrl-C, printing its URL as JSON. */
export function registerModelServerCommand(program: Command): void {
  program
    .command('model-server')
    .description('start the local OpenAI-compatible model server (a small learned web-agent policy, not an LLM); runs until Ctrl-C')
    .option('--port <port>', 'port to listen on (0 = any free port)', String(DEFAULT_MODEL_SERVER_PORT))
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--data <dir>', 'folder for uploaded files, jobs and fine-tuned models (default: $RATCHET_DATA_DIR/model-server)')
    .option('--min-training-ms <ms>', 'least time a fine-tuning job stays running, like a remote fine-tune (default: $RATCHET_MODEL_SERVER_MIN_TRAINING_MS, else 0)')
    .action(async (options: { port: string; host: string; data?: string; minTrainingMs?: string }) => {
      const port = parsePort(options.port);
      const minTrainingMs = options.minTrainingMs === undefined ? readEnv().RATCHET_MODEL_SERVER_MIN_TRAINING_MS : parseMilliseconds(options.minTrainingMs);
      const dataDir = options.data ?? join(readEnv().RATCHET_DATA_DIR, 'model-server');
      const { BASE_MODEL_ID, startModelServer } = await import('../model-server');
      const server = await startModelServer({ port, host: options.host, dataDir, log: true, minTrainingMs });
      process.stdout.write(`${JSON.stringify({ url: server.url, baseModel: BASE_MODEL_ID, dataDir })}\n`);
      process.stderr.write('model server running; press Ctrl-C to stop\n');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await server.close();
    });
}

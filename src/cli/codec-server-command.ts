import type { Command } from 'commander';
import { readEnv } from '../config/env';
import { DEFAULT_CODEC_SERVER_PORT } from '../security/codec-server';

/** Origins of the local Temporal Web UI. */
const DEFAULT_UI_ORIGINS = ['http://127.0.0.1:8233', 'http://localhost:8233'];

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port ${JSON.stringify(value)}: expected a port number 0..65535`);
  return port;
}

function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--ui-origin ${JSON.stringify(value)}: expected a URL such as http://127.0.0.1:8233`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--ui-origin ${JSON.stringify(value)}: expected an http(s) URL`);
  return url.origin;
}

/** `ratchet codec-server`: the remote codec endpoint the Temporal Web UI uses to show encrypted payloads. */
export function registerCodecServerCommand(program: Command): void {
  program
    .command('codec-server')
    .description('serve POST /encode and /decode (Temporal remote codec) with RATCHET_PAYLOAD_KEY, so the Temporal Web UI can show encrypted payloads; runs until Ctrl-C')
    .option('--port <port>', 'port to listen on (0 = any free port)', String(DEFAULT_CODEC_SERVER_PORT))
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--ui-origin <url...>', `origin(s) of the Temporal Web UI allowed to call it (default: ${DEFAULT_UI_ORIGINS.join(' ')})`)
    .action(async (options: { port: string; host: string; uiOrigin?: string[] }) => {
      const port = parsePort(options.port);
      const uiOrigins = options.uiOrigin ? options.uiOrigin.map(parseOrigin) : DEFAULT_UI_ORIGINS;
      const { payloadCodecFromEnv } = await import('../security/payload-codec');
      const codec = payloadCodecFromEnv(readEnv());
      if (!codec) throw new Error('codec-server: RATCHET_PAYLOAD_KEY is not set; it needs the key the workers encrypt payloads with');
      const { startCodecServer } = await import('../security/codec-server');
      const server = await startCodecServer({ codec, port, host: options.host, uiOrigins });
      process.stdout.write(`${JSON.stringify({ url: server.url, keyId: codec.currentKeyId, knownKeyIds: codec.knownKeyIds, uiOrigins })}\n`);
      process.stderr.write(`codec endpoint running; in the Temporal Web UI set the codec endpoint to ${server.url} (or start the dev server with --ui-codec-endpoint ${server.url}); Ctrl-C stops it\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await server.close();
    });
}

import type { Command } from 'commander';

/** Options of `ratchet fault-proxy` after validation. */
export interface FaultProxyFlags {
  target: string;
  rate: number;
  port: number;
  host: string;
  seed: number;
  faults: string | undefined;
  retryAfter: number;
  holdMs: number;
}

function parseNumberFlag(flag: string, value: string, check: (number: number) => boolean, expected: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || !check(number)) throw new Error(`${flag} ${JSON.stringify(value)}: expected ${expected}`);
  return number;
}

/** Validates the raw flags of `ratchet fault-proxy`; each error names the flag and what is wrong. */
export function parseFaultProxyFlags(raw: { target?: string; rate?: string; port: string; host: string; seed: string; faults?: string; retryAfter: string; holdMs: string }): FaultProxyFlags {
  if (!raw.target) throw new Error('--target is required: the base URL of the OpenAI-compatible endpoint to put the proxy in front of (e.g. http://127.0.0.1:4010/v1)');
  let target: URL;
  try {
    target = new URL(raw.target);
  } catch {
    throw new Error(`--target ${JSON.stringify(raw.target)}: expected a URL such as http://127.0.0.1:4010/v1`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`--target ${JSON.stringify(raw.target)}: expected an http or https URL`);
  if (raw.rate === undefined) throw new Error('--rate is required: the fraction of requests to break, 0..1 (e.g. 0.2)');
  return {
    target: raw.target,
    rate: parseNumberFlag('--rate', raw.rate, (rate) => rate >= 0 && rate <= 1, 'a fraction between 0 and 1 (e.g. 0.2)'),
    port: parseNumberFlag('--port', raw.port, (port) => Number.isInteger(port) && port >= 0 && port <= 65_535, 'a port number 0..65535'),
    host: raw.host,
    seed: parseNumberFlag('--seed', raw.seed, (seed) => Number.isInteger(seed) && seed >= 0, 'a non-negative integer'),
    faults: raw.faults,
    retryAfter: parseNumberFlag('--retry-after', raw.retryAfter, (seconds) => Number.isInteger(seconds) && seconds >= 0, 'whole seconds >= 0'),
    holdMs: parseNumberFlag('--hold-ms', raw.holdMs, (ms) => Number.isInteger(ms) && ms > 0, 'milliseconds > 0'),
  };
}

/** `ratchet fault-proxy`: put a fault-injecting proxy in front of a model endpoint until Ctrl-C. */
export function registerFaultProxyCommand(program: Command): void {
  program
    .command('fault-proxy')
    .description('serve a proxy in front of an OpenAI-compatible endpoint that injects faults (429 with Retry-After, 500, 503, timeouts, resets, truncated, malformed and non-JSON bodies) into a seeded fraction of requests; prints its URL as JSON, one line per fault on stderr, and the counts at Ctrl-C')
    .option('--target <url>', 'base URL of the endpoint (e.g. http://127.0.0.1:4010/v1); paths are forwarded unchanged')
    .option('--rate <fraction>', 'fraction of requests that get a fault, 0..1')
    .option('--port <port>', 'port to listen on (0 = any free port)', '0')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed of the fault sequence', '1')
    .option('--faults <list>', 'comma-separated faults to draw from (default: all but unauthorized): rate-limit, server-error, unavailable, timeout, connection-reset, truncated-body, malformed-json, non-json, unauthorized')
    .option('--retry-after <seconds>', 'Retry-After of the rate-limit fault', '1')
    .option('--hold-ms <ms>', 'longest a timeout fault holds a request the client has not dropped', '120000')
    .action(async (raw: Parameters<typeof parseFaultProxyFlags>[0]) => {
      const flags = parseFaultProxyFlags(raw);
      const { DEFAULT_FAULTS, FAULT_PROXY_STATS_PATH, parseFaultList, startFaultInjectingProxy } = await import('../reliability/fault-injecting-proxy');
      const faults = flags.faults === undefined ? DEFAULT_FAULTS : parseFaultList(flags.faults);
      const proxy = await startFaultInjectingProxy(
        { target: flags.target, rate: flags.rate, seed: flags.seed, faults, port: flags.port, host: flags.host, retryAfterSeconds: flags.retryAfter, timeoutHoldMs: flags.holdMs },
        { onRequest: (request) => { if (request.fault) process.stderr.write(`fault #${request.sequence}: ${request.fault} on ${request.method} ${request.path}\n`); } },
      );
      const origin = new URL(proxy.url).origin;
      process.stdout.write(`${JSON.stringify({ url: proxy.url, target: flags.target, rate: flags.rate, seed: flags.seed, faults, stats: `${origin}${FAULT_PROXY_STATS_PATH}` })}\n`);
      process.stderr.write('fault proxy running; press Ctrl-C to stop\n');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await proxy.close();
      process.stdout.write(`${JSON.stringify(proxy.stats())}\n`);
    });
}

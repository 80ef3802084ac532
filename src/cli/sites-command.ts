import type { Command } from 'commander';
import { startSiteServer, SITE_DEFINITIONS, type SiteName } from '../sites/index';

function parsePort(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${flag} ${JSON.stringify(value)}: expected a port number 0..65535`);
  return port;
}

/** `ratchet sites`: serve the built-in sites on their own until Ctrl-C, printing their URLs as JSON. */
export function registerSitesCommand(program: Command): void {
  const command = program
    .command('sites')
    .description('start the built-in sites (shop, shop admin, forum) and print their URLs as JSON; runs until Ctrl-C')
    .option('--host <host>', 'interface to listen on', '127.0.0.1');
  for (const site of SITE_DEFINITIONS) {
    command.option(`--port-${site.name.replace(/_/g, '-')} <port>`, `port of ${site.name} (0 = any free port)`, String(site.defaultPort));
  }
  command.action(async (options: Record<string, string>) => {
    const ports: Partial<Record<SiteName, number>> = {};
    for (const site of SITE_DEFINITIONS) {
      const key = `port${site.name.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('')}`;
      const value = options[key];
      if (value !== undefined) ports[site.name] = parsePort(value, `--port-${site.name.replace(/_/g, '-')}`);
    }
    const running = await startSiteServer({ host: options.host ?? '127.0.0.1', ports });
    process.stdout.write(`${JSON.stringify({ urls: running.urls, sites: running.sites }, null, 2)}\n`);
    process.stderr.write('built-in sites running; press Ctrl-C to stop\n');
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await running.close();
  });
}

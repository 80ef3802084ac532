import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** No scripts, styles, images, frames, forms or connections: the page is inert HTML. */
export const GROUNDED_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A loopback server for rendered OOD pages; each published page gets its own path. */
export interface GroundedPageServer {
  /** `http://127.0.0.1:<port>`: the only origin the grounding browser context may reach. */
  origin: string;
  /** Serves `html` at a new path and returns its full URL. */
  publish(html: string): string;
  /** Forgets a published page. */
  unpublish(url: string): void;
  close(): Promise<void>;
}

/** Starts the page server on 127.0.0.1 with an ephemeral port (or `port`). */
export async function startGroundedPageServer(options: { port?: number } = {}): Promise<GroundedPageServer> {
  const pages = new Map<string, string>();
  let published = 0;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('#')[0]?.split('?')[0] ?? '/';
    const html = request.method === 'GET' ? pages.get(path) : undefined;
    const headers = { 'content-security-policy': GROUNDED_PAGE_CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
    if (html === undefined) {
      response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end(`no grounded page at ${request.method} ${path}`);
      return;
    }
    response.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    publish(html) {
      published += 1;
      const path = `/page/${published}`;
      pages.set(path, html);
      return `${origin}${path}`;
    },
    unpublish(url) {
      pages.delete(new URL(url).pathname);
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

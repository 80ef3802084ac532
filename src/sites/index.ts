import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { FormValidationError } from './form-body';
import { messageMain, renderDocument } from './page-layout';
import type { SiteDefinition, SiteLogin, SiteName } from './site-definition';
import { redditSite } from './reddit/index';
import { shoppingAdminSite } from './shopping_admin/index';
import { shoppingSite } from './shopping/index';
import { createDataStores, resetDataStores, type DataStores } from './stores/index';

export type { SiteDefinition, SiteLogin, SiteName } from './site-definition';

/** Every built-in site; adding a site is adding its folder and one entry here. */
export const SITE_DEFINITIONS: readonly SiteDefinition[] = [shoppingSite, shoppingAdminSite, redditSite];

/** The built-in sites, running. */
export interface RunningSites {
  /** Placeholder -> base URL, e.g. '__SHOPPING__' -> 'http://127.0.0.1:7770'. */
  urls: Record<string, string>;
  sites: Record<SiteName, { url: string; login: SiteLogin }>;
  /** Restores every site's seed state. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

function buildSiteApp(site: SiteDefinition, stores: DataStores): FastifyInstance {
  const app = Fastify({ logger: false });
  void app.register(fastifyCookie);
  void app.register(fastifyFormbody);
  app.setErrorHandler((error, request, reply) => {
    const status = error instanceof FormValidationError ? 400 : 500;
    const message = error instanceof Error ? error.message : String(error);
    void reply.code(status).type('text/html; charset=utf-8').send(renderDocument({
      siteTitle: site.name, pageTitle: 'Error', nav: [], account: null,
      main: messageMain(status === 400 ? 'Invalid request' : 'Server error', `${request.method} ${request.url}: ${message}`),
    }));
  });
  app.get('/__health', () => ({ ok: true, site: site.name }));
  // The stores are shared between sites, so resetting through any site resets them all.
  app.post('/__reset', () => {
    resetDataStores(stores);
    return { ok: true };
  });
  void app.register((scope, _options, done) => {
    site.registerRoutes(scope, stores);
    done();
  });
  return app;
}

/** Starts every built-in site on its own port (0 = ephemeral) over one set of seeded stores. */
export async function startSiteServer(options: { host?: string; ports?: Partial<Record<SiteName, number>> } = {}): Promise<RunningSites> {
  const host = options.host ?? '127.0.0.1';
  const stores = createDataStores();
  const apps: FastifyInstance[] = [];
  const urls: Record<string, string> = {};
  const sites = {} as Record<SiteName, { url: string; login: SiteLogin }>;
  try {
    for (const site of SITE_DEFINITIONS) {
      const app = buildSiteApp(site, stores);
      apps.push(app);
      const port = options.ports?.[site.name] ?? site.defaultPort;
      await app.listen({ host, port });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error(`startSiteServer: ${site.name} has no TCP address`);
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      urls[site.placeholder] = url;
      sites[site.name] = { url, login: site.login };
    }
  } catch (error) {
    await Promise.all(apps.map((app) => app.close()));
    throw new Error(`startSiteServer on ${host}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return {
    urls,
    sites,
    reset: () => Promise.resolve(resetDataStores(stores)),
    close: async () => {
      await Promise.all(apps.map((app) => app.close()));
    },
  };
}

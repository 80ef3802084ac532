import type { FastifyInstance } from 'fastify';
import type { SiteLogin } from '../domain/site-login';
import type { DataStores } from './stores/index';

/** WebArena's names for the sites that are built in. */
export type SiteName = 'shopping' | 'shopping_admin' | 'reddit';

export type { SiteLogin } from '../domain/site-login';

/** Everything needed to serve one site on its own origin. */
export interface SiteDefinition {
  name: SiteName;
  /** The placeholder task files use for this site's base URL, e.g. __SHOPPING__. */
  placeholder: string;
  defaultPort: number;
  login: SiteLogin;
  /** Registers the site's pages on a fresh fastify instance (cookie and form parsing already there). */
  registerRoutes(app: FastifyInstance, stores: DataStores): void;
}

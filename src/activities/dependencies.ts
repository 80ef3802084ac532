import type pg from 'pg';
import type { WorkerBrowser } from '../browser/worker-browser';
import type { SiteLogin } from '../sites';

/** Services of the local stack that `local` in a run spec refers to (absent when external ones are used). */
export interface LocalServices {
  /** Base URL of the local model server (ends in /v1). */
  modelBaseUrl?: string;
  /** Placeholder -> base URL of the built-in sites. */
  siteUrls?: Record<string, string>;
  /** Scripted logins of the built-in sites, by WebArena site name. */
  siteLogins?: Record<string, SiteLogin>;
}

/** What activities need from their worker process; tests pass their own. */
export interface ActivityDependencies {
  db: pg.Pool;
  /** Folder for traces and uploaded files (under .data/ by default). */
  artifactsDir: string;
  local: LocalServices;
  /** The worker's one browser (launched on first use) and its per-site login cache. */
  browser: WorkerBrowser;
}

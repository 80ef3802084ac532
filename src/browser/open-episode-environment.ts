import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { ObservationMode } from '../observation/format-accessibility-tree';
import type { ElementIdSource } from '../observation/read-accessibility-tree';
import { AND_SEPARATOR, type TaskConfig } from '../tasks/task-config';
import { NAVIGATION_TIMEOUT_MS } from './deadlines';
import { installEgressPolicy, type BlockedRequest } from './egress-policy';
import { EnvironmentError } from './environment-error';
import { EpisodeEnvironment } from './episode-environment';
import type { PageIncident } from './page-incidents';
import { isLoginPage, performScriptedLogin, type SiteEndpoint, type SiteLogin } from './site-login';
import { installTabOpeningProbe } from './tab-opening-probe';
import type { WorkerBrowser } from './worker-browser';

/** WebArena's viewport. */
export const EPISODE_VIEWPORT = { width: 1280, height: 720 };

/** What an episode's environment is opened from. */
export interface OpenEpisodeEnvironmentInput {
  browser: WorkerBrowser;
  task: TaskConfig;
  /** Site name (as in task.sites: `shopping`, `reddit`, ...) -> base URL and login. */
  sites: Record<string, SiteEndpoint>;
  /** Where to write the Playwright trace (zip) when the episode closes; no trace when absent. */
  tracePath?: string;
  /** Folder that relative `storage_state` paths are resolved against (default: the working directory). */
  storageStateRoot?: string;
  observationMode?: ObservationMode;
  /** Default `tree-position` (the same ids in any browser process). */
  elementIds?: ElementIdSource;
  onBlockedRequest?: (request: BlockedRequest) => void;
  /** Called for each download refused and each tab closed over the limit. */
  onPageIncident?: (incident: PageIncident) => void;
  signal?: AbortSignal;
}

/** WebArena's placeholder for a site name: `shopping_admin` -> `__SHOPPING_ADMIN__`. */
export function sitePlaceholder(siteName: string): string {
  return `__${siteName.toUpperCase()}__`;
}

/** Placeholder -> base URL for the given sites (what evaluators and start URLs use). */
export function siteUrlsByPlaceholder(sites: Record<string, SiteEndpoint>): Record<string, string> {
  return Object.fromEntries(Object.entries(sites).map(([name, site]) => [sitePlaceholder(name), site.url.replace(/\/+$/, '')]));
}

/** The task's start URLs (one per tab) with site placeholders replaced. */
export function resolveStartUrls(task: TaskConfig, sites: Record<string, SiteEndpoint>): string[] {
  const urls = siteUrlsByPlaceholder(sites);
  return task.start_url.split(AND_SEPARATOR).map((raw) => {
    let url = raw.trim();
    for (const [placeholder, base] of Object.entries(urls)) url = url.replaceAll(placeholder, base);
    if (/__[A-Z_]+__/.test(url)) throw new Error(`task ${task.task_id}: start URL "${raw}" has a site placeholder no configured site provides`);
    return url;
  });
}

function taskSites(task: TaskConfig, sites: Record<string, SiteEndpoint>): Array<[string, SiteEndpoint]> {
  return task.sites.map((name) => {
    const site = sites[name];
    if (!site) throw new Error(`task ${task.task_id}: site "${name}" is not configured (configured: ${Object.keys(sites).join(', ') || 'none'})`);
    return [name, site];
  });
}

function hasLogin(entry: [string, SiteEndpoint]): entry is [string, SiteEndpoint & { login: SiteLogin }] {
  return entry[1].login !== undefined;
}

async function openTab(page: Page, url: string, operation: string): Promise<void> {
  try {
    await page.goto(url, { timeout: NAVIGATION_TIMEOUT_MS });
  } catch (error) {
    throw new EnvironmentError(operation, `start URL ${url} did not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { cause: error });
  }
}

// Cookies belong to one account on one deployment of a site.
function sessionKey(name: string, site: SiteEndpoint & { login: SiteLogin }): string {
  return `${name} ${site.url} ${site.login.username}`;
}

/** Logs the context in to each site: cached cookies when still valid, else a scripted login (then cached). */
async function logIn(context: BrowserContext, input: OpenEpisodeEnvironmentInput, logins: Array<[string, SiteEndpoint & { login: SiteLogin }]>): Promise<Set<string>> {
  const fromCache = new Set<string>();
  for (const [name, site] of logins) {
    const key = sessionKey(name, site);
    const cached = input.browser.sessions.get(key);
    if (cached) {
      await context.addCookies(cached);
      fromCache.add(name);
      continue;
    }
    input.browser.sessions.set(key, await performScriptedLogin(context, name, site, input.signal));
  }
  return fromCache;
}

/**
 * Opens a fresh browser context for one task: WebArena's viewport, only the task's site origins
 * reachable, logged in (saved storage state, else scripted logins with cached cookies), the start
 * URLs open one per tab with tab 0 active, and a trace recording when a path is given.
 */
export async function openEpisodeEnvironment(input: OpenEpisodeEnvironmentInput): Promise<EpisodeEnvironment> {
  const { task } = input;
  const operation = `open the environment of task ${task.task_id}`;
  const sites = taskSites(task, input.sites);
  const startUrls = resolveStartUrls(task, input.sites);
  const allowedOrigins = new Set<string>();
  for (const [, site] of sites) allowedOrigins.add(new URL(site.url).origin);
  for (const url of startUrls) allowedOrigins.add(new URL(url).origin);

  // No downloads: nothing a page sends as an attachment is written anywhere. No service workers: a
  // page cannot leave a script behind that answers or sends requests outside the egress policy.
  const options: BrowserContextOptions = { viewport: EPISODE_VIEWPORT, acceptDownloads: false, serviceWorkers: 'block' };
  const storageState = task.storage_state ? resolve(input.storageStateRoot ?? process.cwd(), task.storage_state) : null;
  const useStorageState = storageState !== null && existsSync(storageState);
  if (useStorageState) options.storageState = storageState;
  if (task.geolocation) Object.assign(options, { geolocation: task.geolocation, permissions: ['geolocation'] });

  const browser = await input.browser.browser();
  const context = await browser.newContext(options);
  try {
    const logins = task.require_login && !useStorageState ? sites.filter(hasLogin) : [];
    for (const [, site] of logins) allowedOrigins.add(new URL(site.login.path, new URL(site.url).origin).origin);
    const blockedRequests: BlockedRequest[] = [];
    await installEgressPolicy(context, allowedOrigins, (request) => {
      blockedRequests.push(request);
      input.onBlockedRequest?.(request);
    });
    await installTabOpeningProbe(context, allowedOrigins);
    input.signal?.throwIfAborted();
    const fromCache = await logIn(context, input, logins);
    if (input.tracePath) {
      await mkdir(dirname(input.tracePath), { recursive: true });
      await context.tracing.start({ screenshots: true, snapshots: true, title: `task ${task.task_id}` });
    }
    const pages: Page[] = [];
    for (let index = 0; index < startUrls.length; index += 1) pages.push(await context.newPage());
    const firstPage = pages[0];
    if (!firstPage) throw new Error(`task ${task.task_id}: no start URL`);
    const environment = new EpisodeEnvironment(context, firstPage, {
      allowedOrigins,
      blockedRequests,
      tracePath: input.tracePath ?? null,
      observationMode: input.observationMode ?? 'webarena',
      elementIds: input.elementIds ?? 'tree-position',
      // An episode that logged out (or whose site replaced the session) leaves no stale cookies behind.
      beforeClose: async () => {
        const cookies = await context.cookies();
        for (const [name, site] of logins) input.browser.sessions.invalidateIfChanged(sessionKey(name, site), cookies);
      },
      onPageIncident: input.onPageIncident,
      signal: input.signal,
    });
    for (const [index, url] of startUrls.entries()) {
      input.signal?.throwIfAborted();
      const page = pages[index] as Page;
      await openTab(page, url, operation);
      // Cached cookies can die early (server restart, logout elsewhere): the login page shows it.
      const expired = logins.find(([name, site]) => fromCache.has(name) && isLoginPage(page.url(), site));
      if (expired) {
        const [name, site] = expired;
        input.browser.sessions.invalidate(sessionKey(name, site));
        input.browser.sessions.set(sessionKey(name, site), await performScriptedLogin(context, name, site, input.signal));
        fromCache.delete(name);
        await openTab(page, url, operation);
      }
    }
    await environment.focus(firstPage);
    environment.assertHealthy(operation);
    return environment;
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}

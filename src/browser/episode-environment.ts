import type { BrowserContext, Download, Page, Request } from 'playwright-core';
import { countElements, MAX_OBSERVED_ELEMENTS, observePage, type Observation } from '../observation/observe-page';
import type { ObservationMode } from '../observation/format-accessibility-tree';
import type { ElementIdSource } from '../observation/read-accessibility-tree';
import { CONTEXT_CLOSE_TIMEOUT_MS, OBSERVATION_TIMEOUT_MS, SETTLE_TIMEOUT_MS } from './deadlines';
import type { BlockedRequest } from './egress-policy';
import { DeadlineExceededError, EnvironmentError } from './environment-error';
import { readSettledPage, watchMainFrameNavigations } from './main-frame-navigations';
import { MAX_EPISODE_TABS, type PageIncident } from './page-incidents';
import { withDeadline } from './with-deadline';

// Navigation failures that are the agent's doing or harmless, not a site being down.
const BENIGN_NAVIGATION_FAILURES = ['net::ERR_BLOCKED_BY_CLIENT', 'net::ERR_ABORTED'];

/**
 * One episode's browser state: a fresh context, its tabs, the active tab, and what the episode's
 * egress policy blocked. Site failures (a navigation to an allowed site that fails, a crashed
 * page) are remembered and raised as EnvironmentError by `assertHealthy`.
 */
export class EpisodeEnvironment {
  private failure: string | null = null;
  private active: Page;
  private closed = false;
  private traceStopped = false;

  constructor(
    readonly context: BrowserContext,
    firstPage: Page,
    private readonly options: {
      allowedOrigins: ReadonlySet<string>;
      /** Filled by the egress policy as it blocks requests. */
      blockedRequests: BlockedRequest[];
      tracePath: string | null;
      observationMode: ObservationMode;
      elementIds: ElementIdSource;
      onPageIncident?: (incident: PageIncident) => void;
      /** Runs first when the episode closes, while the context is still open. */
      beforeClose?: () => Promise<void>;
      signal?: AbortSignal;
    },
  ) {
    this.active = firstPage;
    watchMainFrameNavigations(context);
    for (const page of context.pages()) this.watchPage(page);
    context.on('page', (page) => {
      this.watchPage(page);
      this.enforceTabLimit(page);
    });
  }

  /** The tab the agent is acting in (and the one judged when the episode ends). */
  get activePage(): Page {
    return this.active;
  }

  /** Makes another open tab the active one and brings it to the front. */
  async focus(page: Page): Promise<void> {
    this.active = page;
    await page.bringToFront();
  }

  /** Origins the episode may reach. */
  get allowedOrigins(): ReadonlySet<string> {
    return this.options.allowedOrigins;
  }

  /** Requests the egress policy blocked so far in this episode. */
  get blockedRequests(): readonly BlockedRequest[] {
    return this.options.blockedRequests;
  }

  /** Throws EnvironmentError if a site failed or the active page crashed since the episode began. */
  assertHealthy(operation: string): void {
    if (this.failure) throw new EnvironmentError(operation, this.failure);
    if (this.active.isClosed()) throw new EnvironmentError(operation, 'the active tab was closed by the page');
  }

  /** The active tab's observation (tab header + viewport accessibility tree, token-limited). */
  async observe(): Promise<Observation> {
    const operation = `observe ${this.active.url()}`;
    this.assertHealthy(operation);
    try {
      // A navigation on its way is waited for; one that commits mid-read makes it read the new document.
      const page = this.active;
      return await withDeadline(operation, OBSERVATION_TIMEOUT_MS, this.options.signal, () => readSettledPage(page, async () => {
        this.assertHealthy(operation);
        const elementCount = await countElements(page);
        if (elementCount > MAX_OBSERVED_ELEMENTS) await this.stopTrace();
        return observePage(page, { mode: this.options.observationMode, elementIds: this.options.elementIds, elementCount });
      }, OBSERVATION_TIMEOUT_MS));
    } catch (error) {
      if (this.options.signal?.aborted) throw error;
      const detail = error instanceof DeadlineExceededError
        ? `the page did not answer within ${error.timeoutMs} ms (a script that never ends, or a page too large to read)`
        : error instanceof Error ? error.message : String(error);
      throw new EnvironmentError(operation, detail, { cause: error });
    }
  }

  /** Stops the trace (writing it to the trace path) and closes the context; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A browser that died took the context (and any trace in progress) with it.
    if (this.context.browser()?.isConnected() === false) return;
    await withDeadline('finish the episode', SETTLE_TIMEOUT_MS, undefined, async () => this.options.beforeClose?.()).catch(() => undefined);
    // Pages keep running while the context closes, and a pop-up opened then can escape the egress
    // policy; offline, nothing they start leaves the browser.
    await withDeadline('take the episode context offline', SETTLE_TIMEOUT_MS, undefined, () => this.context.setOffline(true)).catch(() => undefined);
    try {
      await this.stopTrace();
    } finally {
      // Closed even when the trace could not be written, so a stuck page never outlives its episode.
      await withDeadline('close the episode context', CONTEXT_CLOSE_TIMEOUT_MS, undefined, () => this.context.close());
    }
  }

  /**
   * Writes the trace now and records no more. Called at close, and as soon as a page is too large
   * to observe: the recorder snapshots the whole DOM at every browser call, which on such a page
   * takes longer than the deadlines.
   */
  private async stopTrace(): Promise<void> {
    const { tracePath } = this.options;
    if (!tracePath || this.traceStopped) return;
    this.traceStopped = true;
    await withDeadline('write the episode trace', CONTEXT_CLOSE_TIMEOUT_MS, undefined, () => this.context.tracing.stop({ path: tracePath }));
  }

  // Dialogs are left to Playwright, which answers them in the browser process when nobody listens:
  // beforeunload accepted (the agent's navigation goes ahead), alert/confirm/prompt dismissed.
  private watchPage(page: Page): void {
    page.on('download', (download) => this.refuseDownload(download));
    page.on('crash', () => {
      this.failure ??= `the tab at ${page.url()} crashed`;
    });
    page.on('requestfailed', (request: Request) => this.noteFailedNavigation(page, request));
  }

  // Contexts are opened with acceptDownloads off, so nothing is written; cancel in case one started anyway.
  private refuseDownload(download: Download): void {
    this.options.onPageIncident?.({ kind: 'download', url: download.url(), suggestedFilename: download.suggestedFilename() });
    void download.cancel().catch(() => undefined);
  }

  private enforceTabLimit(page: Page): void {
    const openTabs = this.context.pages().length;
    if (openTabs <= MAX_EPISODE_TABS) return;
    this.options.onPageIncident?.({ kind: 'tab_closed', url: page.url(), openTabs });
    void page.close().catch(() => undefined);
  }

  private noteFailedNavigation(page: Page, request: Request): void {
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    const errorText = request.failure()?.errorText ?? 'unknown error';
    if (BENIGN_NAVIGATION_FAILURES.some((benign) => errorText.includes(benign))) return;
    try {
      if (!this.options.allowedOrigins.has(new URL(request.url()).origin)) return;
    } catch {
      return;
    }
    this.failure ??= `the site did not answer ${request.url()}: ${errorText}`;
  }
}

import type { BrowserContext, Page, Request } from 'playwright-core';
import { observePage, type Observation } from '../observation/observe-page';
import type { ObservationMode } from '../observation/format-accessibility-tree';
import { CONTEXT_CLOSE_TIMEOUT_MS, OBSERVATION_TIMEOUT_MS, SETTLE_TIMEOUT_MS } from './deadlines';
import type { BlockedRequest } from './egress-policy';
import { EnvironmentError } from './environment-error';
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

  constructor(
    readonly context: BrowserContext,
    firstPage: Page,
    private readonly options: {
      allowedOrigins: ReadonlySet<string>;
      /** Filled by the egress policy as it blocks requests. */
      blockedRequests: BlockedRequest[];
      tracePath: string | null;
      observationMode: ObservationMode;
      signal?: AbortSignal;
    },
  ) {
    this.active = firstPage;
    for (const page of context.pages()) this.watchPage(page);
    context.on('page', (page) => this.watchPage(page));
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
    const observeActive = () => observePage(this.active, { mode: this.options.observationMode });
    try {
      return await withDeadline(operation, OBSERVATION_TIMEOUT_MS, this.options.signal, async () => {
        try {
          return await observeActive();
        } catch {
          // A navigation that commits mid-read destroys the document being read: let it load, read again.
          await this.active.waitForLoadState('load', { timeout: SETTLE_TIMEOUT_MS }).catch(() => undefined);
          this.assertHealthy(operation);
          return await observeActive();
        }
      });
    } catch (error) {
      if (this.options.signal?.aborted) throw error;
      throw new EnvironmentError(operation, error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  /** Stops the trace (writing it to the trace path) and closes the context; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A browser that died took the context (and any trace in progress) with it.
    if (this.context.browser()?.isConnected() === false) return;
    await withDeadline('close the episode context', CONTEXT_CLOSE_TIMEOUT_MS, undefined, async () => {
      try {
        if (this.options.tracePath) await this.context.tracing.stop({ path: this.options.tracePath });
      } finally {
        await this.context.close();
      }
    });
  }

  private watchPage(page: Page): void {
    page.on('crash', () => {
      this.failure ??= `the tab at ${page.url()} crashed`;
    });
    page.on('requestfailed', (request: Request) => this.noteFailedNavigation(page, request));
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

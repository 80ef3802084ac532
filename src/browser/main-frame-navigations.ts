import type { BrowserContext, Frame, Page, Request } from 'playwright-core';
import { SETTLE_TIMEOUT_MS } from './deadlines';

/** How long after a failed read the commit that caused it may take to be reported. */
const COMMIT_REPORT_GRACE_MS = 1_000;

/**
 * The main-frame navigations of one tab: how many documents have committed, and whether a navigation
 * request is on its way (sent, neither committed nor ended). An observation is of one document only
 * when no commit happened while it was read and none is on its way.
 */
export class MainFrameNavigations {
  private commitCount = 0;
  private readonly pending = new Set<Request>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly page: Page) {
    page.on('request', (request) => {
      if (this.isMainFrameNavigation(request)) this.change(() => this.pending.add(request));
    });
    // A request that ends without a commit (a download, a 204, a blocked or failed navigation).
    const ended = (request: Request) => {
      if (this.pending.has(request)) this.change(() => this.pending.delete(request));
    };
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
    page.on('framenavigated', (frame: Frame) => {
      if (frame !== page.mainFrame()) return;
      this.change(() => {
        this.commitCount += 1;
        this.pending.clear();
      });
    });
  }

  /** Main-frame documents committed since the tab was watched. */
  get commits(): number {
    return this.commitCount;
  }

  /** Whether a main-frame navigation request is on its way. */
  get navigating(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Waits (at most `timeoutMs`) until no navigation is on its way, then for the current document's
   * load event (at most SETTLE_TIMEOUT_MS: a slow page is observed as it is).
   */
  async settle(timeoutMs: number): Promise<void> {
    const until = Date.now() + Math.max(0, timeoutMs);
    await this.waitFor(() => !this.navigating, Math.max(0, until - Date.now()));
    const loadWait = Math.min(SETTLE_TIMEOUT_MS, until - Date.now());
    if (loadWait > 0 && !this.page.isClosed()) await this.page.waitForLoadState('load', { timeout: loadWait }).catch(() => undefined);
  }

  /** Waits briefly for a commit after `commitsBefore` (or a navigation on its way); true when one came. */
  async navigatedSince(commitsBefore: number): Promise<boolean> {
    return this.waitFor(() => this.commitCount !== commitsBefore || this.navigating, COMMIT_REPORT_GRACE_MS);
  }

  private isMainFrameNavigation(request: Request): boolean {
    return request.isNavigationRequest() && request.frame() === this.page.mainFrame();
  }

  private change(update: () => void): void {
    update();
    for (const listener of [...this.listeners]) listener();
  }

  private waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        this.page.off('close', onClose);
        resolve(value);
      };
      const check = () => {
        if (condition()) done(true);
      };
      const onClose = () => done(condition());
      const timer = setTimeout(() => done(condition()), timeoutMs);
      this.listeners.add(check);
      this.page.once('close', onClose);
    });
  }
}

const trackers = new WeakMap<Page, MainFrameNavigations>();

/** Watches the main-frame navigations of every tab of the context, present and future. */
export function watchMainFrameNavigations(context: BrowserContext): void {
  for (const page of context.pages()) mainFrameNavigationsOf(page);
  context.on('page', (page) => mainFrameNavigationsOf(page));
}

/** The tab's navigation tracker (created on first use; watch the context first to see earlier requests). */
export function mainFrameNavigationsOf(page: Page): MainFrameNavigations {
  let tracker = trackers.get(page);
  if (!tracker) {
    tracker = new MainFrameNavigations(page);
    trackers.set(page, tracker);
  }
  return tracker;
}

/**
 * Reads the page with `read` once its navigations have settled, and reads again whenever a
 * navigation committed (or set off) during the read: a read that straddles a commit mixes two
 * documents or fails ("Execution context was destroyed"). A failure no navigation explains is
 * thrown as it is. Gives up at `timeoutMs` with the last error (a page that never stops navigating).
 */
export async function readSettledPage<T>(page: Page, read: () => Promise<T>, timeoutMs: number): Promise<T> {
  const navigations = mainFrameNavigationsOf(page);
  const deadline = Date.now() + timeoutMs;
  let settleFirst = navigations.navigating;
  let reads = 0;
  for (;;) {
    if (settleFirst) await navigations.settle(deadline - Date.now());
    const commitsBefore = navigations.commits;
    reads += 1;
    let observed: { value: T } | undefined;
    let failure: unknown;
    try {
      observed = { value: await read() };
    } catch (error) {
      failure = error;
      if (page.isClosed() || !(await navigations.navigatedSince(commitsBefore))) throw error;
    }
    if (observed && navigations.commits === commitsBefore && !navigations.navigating) return observed.value;
    if (Date.now() >= deadline) {
      const detail = failure instanceof Error ? `; last error: ${failure.message}` : '';
      throw new Error(`the page was still navigating after ${timeoutMs} ms (${reads} reads, ${navigations.commits} documents committed)${detail}`);
    }
    settleFirst = true;
  }
}

import type { CDPSession, Frame, Page, Request } from 'playwright-core';
import { isElementAction, type ElementAction, type ParsedAction } from '../actions/parsed-action';
import type { ObservedElement } from '../observation/format-accessibility-tree';
import type { Observation } from '../observation/observe-page';
import { ACTION_TIMEOUT_MS, NAVIGATION_START_GRACE_MS, NAVIGATION_TIMEOUT_MS, SETTLE_TIMEOUT_MS } from './deadlines';
import type { EpisodeEnvironment } from './episode-environment';
import { toPlaywrightKeys } from './key-combination';
import { pageOpenedTab, resetTabOpeningCount } from './tab-opening-probe';
import { withDeadline } from './with-deadline';

/** What became of an action in the browser. `stop` is never executed (the agent loop ends on it). */
export type ActionExecution =
  | { status: 'done'; element: ObservedElement | null }
  | { status: 'missing_element' }
  | { status: 'failed'; error: string; element: ObservedElement | null };

/** The centre of an element in viewport coordinates, scrolled into view first; fresh, not from the observation. */
async function elementCentre(page: Page, element: ObservedElement): Promise<{ x: number; y: number }> {
  let session: CDPSession | undefined;
  try {
    if (element.backendNodeId !== null) {
      session = await page.context().newCDPSession(page);
      await session.send('DOM.scrollIntoViewIfNeeded', { backendNodeId: element.backendNodeId }).catch(() => undefined);
      const { quads } = await session.send('DOM.getContentQuads', { backendNodeId: element.backendNodeId });
      const quad = quads.find((candidate) => candidate.length === 8);
      if (quad) {
        const xs = [quad[0], quad[2], quad[4], quad[6]] as number[];
        const ys = [quad[1], quad[3], quad[5], quad[7]] as number[];
        return { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: (Math.min(...ys) + Math.max(...ys)) / 2 };
      }
    }
  } catch {
    // The node left the DOM or has no boxes now: fall back to where the observation saw it.
  } finally {
    await session?.detach().catch(() => undefined);
  }
  if (!element.bounds) throw new Error(`element [${element.id}] has no position on the page`);
  return { x: element.bounds.x + element.bounds.width / 2, y: element.bounds.y + element.bounds.height / 2 };
}

async function runElementAction(page: Page, action: ElementAction, element: ObservedElement): Promise<void> {
  const { x, y } = await elementCentre(page, element);
  switch (action.name) {
    case 'click':
      await page.mouse.click(x, y);
      return;
    case 'hover':
      await page.mouse.move(x, y);
      return;
    case 'type':
      // WebArena clicks the field and types at the caret: nothing is cleared first.
      await page.mouse.click(x, y);
      await page.keyboard.type(action.text);
      if (action.pressEnter) await page.keyboard.press('Enter');
      return;
  }
}

async function runPageAction(environment: EpisodeEnvironment, action: Exclude<ParsedAction, ElementAction>): Promise<void> {
  const page = environment.activePage;
  switch (action.name) {
    case 'press':
      await page.keyboard.press(toPlaywrightKeys(action.keys));
      return;
    case 'scroll':
      await page.evaluate((sign) => {
        const scroller = document.scrollingElement ?? document.body;
        scroller.scrollTop += sign * window.innerHeight;
      }, action.direction === 'up' ? -1 : 1);
      return;
    case 'new_tab':
      await environment.focus(await environment.context.newPage());
      return;
    case 'tab_focus': {
      const target = environment.context.pages()[action.tab];
      if (!target) throw new Error(`there is no tab ${action.tab} (open tabs: ${environment.context.pages().length})`);
      await environment.focus(target);
      return;
    }
    case 'close_tab': {
      await page.close();
      const remaining = environment.context.pages();
      await environment.focus(remaining[remaining.length - 1] ?? (await environment.context.newPage()));
      return;
    }
    case 'goto':
      await page.goto(action.url, { timeout: NAVIGATION_TIMEOUT_MS });
      return;
    case 'go_back':
      await page.goBack({ timeout: NAVIGATION_TIMEOUT_MS });
      return;
    case 'go_forward':
      await page.goForward({ timeout: NAVIGATION_TIMEOUT_MS });
      return;
    case 'stop':
      throw new Error('stop is not executed in the page');
  }
}

/**
 * Waits for what an action set off: a tab it opened becomes active, and a navigation it started is
 * given time to load. A page slower than the deadline is observed as it is, which is not an error.
 */
async function settle(environment: EpisodeEnvironment, run: () => Promise<void>): Promise<void> {
  const page = environment.activePage;
  let navigationStarted = false;
  let navigationCommitted = false;
  const opened: Page[] = [];
  const onRequest = (request: Request): void => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigationStarted = true;
  };
  const onNavigated = (frame: Frame): void => {
    if (frame === page.mainFrame()) navigationCommitted = true;
  };
  const onPage = (newPage: Page): void => {
    opened.push(newPage);
  };
  page.on('request', onRequest);
  page.on('framenavigated', onNavigated);
  environment.context.on('page', onPage);
  try {
    await resetTabOpeningCount(page);
    await run();
    await new Promise((resolve) => setTimeout(resolve, NAVIGATION_START_GRACE_MS));
    if (opened.length === 0 && environment.activePage === page && (await pageOpenedTab(page))) {
      await environment.context.waitForEvent('page', { timeout: SETTLE_TIMEOUT_MS }).catch(() => undefined);
    }
    const popup = opened.find((candidate) => !candidate.isClosed());
    if (popup && environment.activePage === page) await environment.focus(popup);
    const target = environment.activePage;
    if (target === page && navigationStarted && !navigationCommitted && !page.isClosed()) {
      await page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: SETTLE_TIMEOUT_MS }).catch(() => undefined);
    }
    if (!target.isClosed()) await target.waitForLoadState('load', { timeout: SETTLE_TIMEOUT_MS }).catch(() => undefined);
  } finally {
    page.off('request', onRequest);
    page.off('framenavigated', onNavigated);
    environment.context.off('page', onPage);
  }
}

/**
 * Executes a parsed action in the environment's active tab. Element ids are looked up in the
 * observation the action was chosen from; an id it does not hold is `missing_element`. Browser
 * errors (an unknown key, a blocked URL) make the action `failed`; the episode goes on.
 */
export async function executeAction(environment: EpisodeEnvironment, action: ParsedAction, observation: Observation, signal?: AbortSignal): Promise<ActionExecution> {
  const element = isElementAction(action) ? (observation.elements.get(action.id) ?? null) : null;
  if (isElementAction(action) && !element) return { status: 'missing_element' };
  const operation = `execute ${action.name} in ${environment.activePage.url()}`;
  try {
    await withDeadline(operation, ACTION_TIMEOUT_MS + NAVIGATION_TIMEOUT_MS + SETTLE_TIMEOUT_MS, signal, () =>
      settle(environment, () => (isElementAction(action) && element ? runElementAction(environment.activePage, action, element) : runPageAction(environment, action as Exclude<ParsedAction, ElementAction>))),
    );
    return { status: 'done', element };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { status: 'failed', error: error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error), element };
  }
}

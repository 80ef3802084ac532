// Executes a generated OOD example's next action against its rendered page, in a browser context that
// can reach only the page server. An action whose element is absent or cannot be acted on is dropped.
import type { Browser, Locator, Page } from 'playwright-core';
import { parseAction } from '../actions/parse-action';
import { isElementAction, type ElementAction, type ParsedAction } from '../actions/parsed-action';
import { installEgressPolicy, type BlockedRequest } from '../browser/egress-policy';
import { toPlaywrightKeys } from '../browser/key-combination';
import { GROUNDED_ID_ATTRIBUTE, renderAccessibilityPageHtml } from './accessibility-page-html';
import type { GroundedPageServer } from './grounded-page-server';

/** How long Playwright may wait for an element to become actionable before the example is dropped. */
export const GROUNDED_ACTION_TIMEOUT_MS = 3_000;

/** What the grounding did: `performed` (element actions, scroll, press) or `rendered` only (stop). */
export type GroundingOutcome =
  | { grounded: true; action: string; check: 'performed' | 'rendered'; element: { tag: string; role: string | null; text: string } | null; blockedRequests: BlockedRequest[] }
  | { grounded: false; reason: string };

async function describeElement(locator: Locator): Promise<{ tag: string; role: string | null; text: string }> {
  return locator.evaluate((element) => ({
    tag: element.tagName.toLowerCase(),
    role: element.getAttribute('role'),
    text: (element.textContent ?? element.getAttribute('aria-label') ?? '').trim().slice(0, 200),
  }));
}

async function performElementAction(page: Page, action: ElementAction): Promise<GroundingOutcome | { element: { tag: string; role: string | null; text: string } }> {
  const target = page.locator(`[${GROUNDED_ID_ATTRIBUTE}="${action.id}"]`);
  const count = await target.count();
  if (count === 0) return { grounded: false, reason: `element [${action.id}] is not on the rendered page` };
  if (count > 1) return { grounded: false, reason: `element [${action.id}] occurs ${count} times on the rendered page` };
  const element = await describeElement(target);
  try {
    if (action.name === 'click') await target.click({ timeout: GROUNDED_ACTION_TIMEOUT_MS });
    else if (action.name === 'hover') await target.hover({ timeout: GROUNDED_ACTION_TIMEOUT_MS });
    else {
      const editable = await target.isEditable({ timeout: GROUNDED_ACTION_TIMEOUT_MS }).catch(() => false);
      if (!editable) return { grounded: false, reason: `element [${action.id}] (${element.tag} '${element.text}') cannot be typed into` };
      await target.click({ timeout: GROUNDED_ACTION_TIMEOUT_MS });
      await page.keyboard.type(action.text);
      const value = await target.inputValue({ timeout: GROUNDED_ACTION_TIMEOUT_MS });
      if (!value.includes(action.text)) return { grounded: false, reason: `typing into element [${action.id}] left the value '${value.slice(0, 80)}'` };
      if (action.pressEnter) await page.keyboard.press('Enter');
    }
  } catch (error) {
    return { grounded: false, reason: `element [${action.id}] (${element.tag} '${element.text}') is not actionable for ${action.name}: ${(error as Error).message.split('\n')[0] ?? ''}` };
  }
  return { element };
}

async function performPageAction(page: Page, action: Exclude<ParsedAction, ElementAction>): Promise<GroundingOutcome | null> {
  try {
    if (action.name === 'scroll') await page.mouse.wheel(0, action.direction === 'down' ? 600 : -600);
    else if (action.name === 'press') await page.keyboard.press(toPlaywrightKeys(action.keys));
    else if (action.name !== 'stop') return { grounded: false, reason: `the action '${action.name}' cannot be grounded on a single page` };
  } catch (error) {
    return { grounded: false, reason: `${action.name} failed on the rendered page: ${(error as Error).message.split('\n')[0] ?? ''}` };
  }
  return null;
}

/**
 * Renders `observation` as HTML, serves it, opens it in a fresh context limited to the page server's
 * origin, and performs the action of `response` there (click, hover and type on the element whose
 * data attribute holds the action's id). Browser crashes and launch errors propagate.
 */
export async function groundOodAction(input: { browser: Browser; server: GroundedPageServer; observation: string; response: string }): Promise<GroundingOutcome> {
  const parsed = parseAction(input.response);
  if (!parsed.valid) return { grounded: false, reason: `the response's action does not parse: ${parsed.error}` };
  const url = input.server.publish(renderAccessibilityPageHtml(input.observation));
  const blockedRequests: BlockedRequest[] = [];
  const context = await input.browser.newContext({ serviceWorkers: 'block' });
  try {
    await installEgressPolicy(context, new Set([input.server.origin]), (request) => blockedRequests.push(request));
    const page = await context.newPage();
    const loaded = await page.goto(url, { timeout: 15_000 });
    if (!loaded?.ok()) throw new Error(`grounded page ${url} answered ${loaded?.status() ?? 'nothing'}`);
    if (isElementAction(parsed.action)) {
      const result = await performElementAction(page, parsed.action);
      if ('grounded' in result) return result;
      return { grounded: true, action: parsed.text, check: 'performed', element: result.element, blockedRequests };
    }
    const failure = await performPageAction(page, parsed.action);
    if (failure) return failure;
    return { grounded: true, action: parsed.text, check: parsed.action.name === 'stop' ? 'rendered' : 'performed', element: null, blockedRequests };
  } finally {
    await context.close().catch(() => undefined);
    input.server.unpublish(url);
  }
}

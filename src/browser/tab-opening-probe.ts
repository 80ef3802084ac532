import type { BrowserContext, Page } from 'playwright-core';
import { MAX_WINDOW_OPENS_PER_DOCUMENT } from './page-incidents';

// Playwright reports a tab opened by the page a few hundred ms after the click, so the episode
// asks the page instead: this init script counts window.open calls and clicks on links that
// target another browsing context.
// It also contains pop-ups. A new tab's first request can leave before Playwright routes the tab
// (seen under load: window.open to another origin reached it), so a pop-up to an origin the
// episode may not reach is refused here (window.open returns null, a link click does nothing);
// and past MAX_WINDOW_OPENS_PER_DOCUMENT calls, window.open returns null as a blocked pop-up does.
function probeScript(allowedOrigins: ReadonlySet<string>): string {
  return `(() => {
  const allowed = new Set(${JSON.stringify([...allowedOrigins])});
  const reachable = (url) => {
    try {
      const parsed = new URL(String(url), location.href);
      return !['http:', 'https:'].includes(parsed.protocol) || allowed.has(parsed.origin);
    } catch {
      return false;
    }
  };
  const count = () => { window.__ratchetTabsOpened = (window.__ratchetTabsOpened || 0) + 1; };
  const open = window.open;
  let opens = 0;
  window.open = function (...args) {
    const url = args[0];
    if (url !== undefined && url !== null && String(url) !== '' && !reachable(url)) return null;
    opens += 1;
    if (opens > ${MAX_WINDOW_OPENS_PER_DOCUMENT}) return null;
    count();
    return open.apply(this, args);
  };
  window.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[target], area[target]') : null;
    if (!link || ['', '_self', '_parent', '_top'].includes(link.getAttribute('target') || '')) return;
    if (link.hasAttribute('href') && !reachable(link.href)) {
      event.preventDefault();
      return;
    }
    count();
  }, true);
})();`;
}

/** Installs the probe in every page of the context; pop-ups may open only the allowed origins. */
export async function installTabOpeningProbe(context: BrowserContext, allowedOrigins: ReadonlySet<string>): Promise<void> {
  await context.addInitScript({ content: probeScript(allowedOrigins) });
}

/** Resets the page's count before an action. */
export async function resetTabOpeningCount(page: Page): Promise<void> {
  await page.evaluate(() => Object.assign(window, { __ratchetTabsOpened: 0 })).catch(() => undefined);
}

/** Whether the page tried to open a tab since the last reset (false if the page is gone or navigated). */
export async function pageOpenedTab(page: Page): Promise<boolean> {
  if (page.isClosed()) return false;
  const count = await page.evaluate(() => (window as unknown as { __ratchetTabsOpened?: number }).__ratchetTabsOpened ?? 0).catch(() => 0);
  return count > 0;
}

import type { BrowserContext, Page } from 'playwright-core';

// Playwright reports a tab opened by the page a few hundred ms after the click, so the episode
// asks the page instead: this init script counts window.open calls and clicks on links that
// target another browsing context.
const PROBE_SCRIPT = `(() => {
  const count = () => { window.__ratchetTabsOpened = (window.__ratchetTabsOpened || 0) + 1; };
  const open = window.open;
  window.open = function (...args) { count(); return open.apply(this, args); };
  window.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[target], area[target]') : null;
    if (link && !['', '_self', '_parent', '_top'].includes(link.getAttribute('target') || '')) count();
  }, true);
})();`;

/** Installs the probe in every page of the context. */
export async function installTabOpeningProbe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: PROBE_SCRIPT });
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

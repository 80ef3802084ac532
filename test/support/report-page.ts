import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../src/stack/toolchain';

/**
 * Opens a written report page in Chromium, waits until `charts` canvases have drawn, and hands the
 * page to `inspect`. Returns what went wrong on the page: console errors, page errors and any request
 * that left the file (the page is self-contained).
 */
export async function inspectReportPage(htmlFile: string, charts: number, inspect: (page: Page) => Promise<void>): Promise<string[]> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => { if (!request.url().startsWith('file:')) problems.push(`network request to ${request.url()}`); });
    await page.goto(pathToFileURL(htmlFile).toString());
    await page.waitForFunction((count) => Array.from(document.querySelectorAll('canvas')).filter((canvas) => canvas.width > 0).length === count, charts);
    await inspect(page);
    return problems;
  } finally {
    await browser.close();
  }
}

import type { Browser } from 'playwright-core';
import { observePage, type Observation } from '../../src/observation/observe-page';
import type { ObservationMode } from '../../src/observation/format-accessibility-tree';

/** The origin golden files use in place of the fixture server's ephemeral one. */
export const GOLDEN_ORIGIN = 'http://fixture.test';

/** Observes one fixture page in a fresh 1280x720 context (so node ids do not depend on earlier pages). */
export async function observeFixture(
  browser: Browser,
  origin: string,
  name: string,
  options: { scrollDown?: number; mode?: ObservationMode } = {},
): Promise<Observation> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/${name}`);
    if (options.scrollDown) await page.evaluate((pixels) => window.scrollBy(0, pixels), options.scrollDown);
    const observation = await observePage(page, { mode: options.mode });
    return { ...observation, text: observation.text.replaceAll(origin, GOLDEN_ORIGIN) };
  } finally {
    await context.close();
  }
}

/** Renumbers node ids in order of appearance ([1], [2], ...): the browser's ids vary from run to run. */
export function renumberNodeIds(text: string): string {
  const ids = new Map<string, number>();
  return text.replace(/^(\t*)\[(\d+)\]/gm, (_match, indent: string, id: string) => {
    if (!ids.has(id)) ids.set(id, ids.size + 1);
    return `${indent}[${ids.get(id)}]`;
  });
}

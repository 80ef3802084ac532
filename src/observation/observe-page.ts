import type { Page } from 'playwright-core';
import { formatAccessibilityTree, type ObservationMode, type ObservedElement } from './format-accessibility-tree';
import { readAccessibilityTree, readViewportSize, type ElementIdSource } from './read-accessibility-tree';
import { OBSERVATION_TOKEN_LIMIT, truncateObservation } from './truncate-observation';

/** What the agent sees of the browser at one step, and the elements its ids refer to. */
export interface Observation {
  /** Tab header, a blank line, then the accessibility tree; cut to the token limit. */
  text: string;
  url: string;
  /** Every element printed in the tree before truncation (WebArena keeps the cut ones addressable too). */
  elements: Map<string, ObservedElement>;
}

/** `Tab 0 (current): <title> | Tab 1: <title>` for the open tabs, marking the active one. */
export async function formatTabHeader(pages: readonly Page[], active: Page): Promise<string> {
  const titles = await Promise.all(pages.map(async (page) => page.title().catch(() => '')));
  return titles.map((title, index) => (pages[index] === active ? `Tab ${index} (current): ${title}` : `Tab ${index}: ${title}`)).join(' | ');
}

/**
 * Elements a page may have for its accessibility tree to be read. Reading takes about 0.1 ms per
 * node on an idle machine (a 300,000-node page: 30 s and 400 MB), so a larger page is observed as
 * its tab header and a marker line instead of blowing the observation deadline and the worker's memory.
 */
export const MAX_OBSERVED_ELEMENTS = 50_000;

/** The line that stands for the tree of a page with more than MAX_OBSERVED_ELEMENTS elements. */
export function tooLargeMarker(elementCount: number): string {
  return `[page not observed: it has ${elementCount.toLocaleString('en-US')} elements, more than the ${MAX_OBSERVED_ELEMENTS.toLocaleString('en-US')} an observation reads]`;
}

/**
 * The page's element count, through CDP: a Playwright evaluate would make the trace recorder
 * snapshot the whole DOM first, which on a huge page takes longer than the observation deadline.
 */
export async function countElements(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  try {
    const { result } = await session.send('Runtime.evaluate', { expression: "document.getElementsByTagName('*').length", returnByValue: true });
    return typeof result.value === 'number' ? result.value : 0;
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/** Observes the active page as WebArena does: tab header, viewport accessibility tree, token limit. */
export async function observePage(
  active: Page,
  options: { mode?: ObservationMode; elementIds?: ElementIdSource; tokenLimit?: number; /** When the caller counted already. */ elementCount?: number } = {},
): Promise<Observation> {
  const elementCount = options.elementCount ?? (await countElements(active));
  const header = await formatTabHeader(active.context().pages(), active);
  if (elementCount > MAX_OBSERVED_ELEMENTS) return { text: `${header}\n\n${tooLargeMarker(elementCount)}`, url: active.url(), elements: new Map() };
  const [nodes, viewport] = await Promise.all([readAccessibilityTree(active, options.elementIds), readViewportSize(active)]);
  const tree = formatAccessibilityTree(nodes, viewport, options.mode ?? 'webarena');
  return {
    text: truncateObservation(`${header}\n\n${tree.text}`, options.tokenLimit ?? OBSERVATION_TOKEN_LIMIT),
    url: active.url(),
    elements: tree.elements,
  };
}

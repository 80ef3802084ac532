import type { Page } from 'playwright-core';
import { formatAccessibilityTree, type ObservationMode, type ObservedElement } from './format-accessibility-tree';
import { readAccessibilityTree, readViewportSize } from './read-accessibility-tree';
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

/** Observes the active page as WebArena does: tab header, viewport accessibility tree, token limit. */
export async function observePage(
  active: Page,
  options: { mode?: ObservationMode; tokenLimit?: number } = {},
): Promise<Observation> {
  const [nodes, viewport] = await Promise.all([readAccessibilityTree(active), readViewportSize(active)]);
  const tree = formatAccessibilityTree(nodes, viewport, options.mode ?? 'webarena');
  const header = await formatTabHeader(active.context().pages(), active);
  return {
    text: truncateObservation(`${header}\n\n${tree.text}`, options.tokenLimit ?? OBSERVATION_TOKEN_LIMIT),
    url: active.url(),
    elements: tree.elements,
  };
}

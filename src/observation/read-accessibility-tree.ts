import type { Page } from 'playwright-core';
import type { AccessibilityNode, ViewportRect } from './accessibility-node';

/** The page's layout viewport size in CSS pixels. */
export async function readViewportSize(page: Page): Promise<{ width: number; height: number }> {
  return page.evaluate(() => ({ width: window.innerWidth, height: window.innerHeight }));
}

/**
 * Where the ids printed in an observation come from. `tree-position`: the node's 1-based position in
 * the full accessibility tree, so the same document gets the same ids in any browser process (a run
 * resumed on a restarted browser worker sees the prompts it would have seen). `chromium`: Chromium's
 * accessibility node ids, as WebArena's harness prints them; they count up per renderer process, so
 * they depend on what the browser showed before.
 */
export type ElementIdSource = 'tree-position' | 'chromium';

/**
 * Renames every node (and child reference) to its 1-based position in the list. A child id that
 * is not in the list gets a name no position can take, so it stays unresolved as before.
 */
export function numberNodesByTreePosition(nodes: readonly AccessibilityNode[]): AccessibilityNode[] {
  const positions = new Map<string, string>();
  nodes.forEach((node, index) => {
    if (!positions.has(node.nodeId)) positions.set(node.nodeId, String(index + 1));
  });
  const renamed = (id: string) => positions.get(id) ?? `unlisted-${id}`;
  return nodes.map((node) => ({ ...node, nodeId: renamed(node.nodeId), childIds: node.childIds?.map(renamed) }));
}

/**
 * The main frame's full accessibility tree through CDP (Accessibility.getFullAXTree), each node with
 * its viewport-relative layout bounds. Bounds come from one DOMSnapshot of the main document (layout
 * boxes by backend node id, shifted by the scroll offset): one call instead of a round trip per node,
 * which on a 600-node page is ~10 ms against ~500 ms. The root is always treated as visible.
 */
export async function readAccessibilityTree(page: Page, elementIds: ElementIdSource = 'tree-position'): Promise<AccessibilityNode[]> {
  const session = await page.context().newCDPSession(page);
  try {
    const [{ nodes }, snapshot] = await Promise.all([
      session.send('Accessibility.getFullAXTree', {}),
      session.send('DOMSnapshot.captureSnapshot', { computedStyles: [] }),
    ]);
    const document = snapshot.documents[0];
    const boundsByBackendId = new Map<number, ViewportRect>();
    if (document) {
      const scrollX = document.scrollOffsetX ?? 0;
      const scrollY = document.scrollOffsetY ?? 0;
      // Pseudo-elements (list markers, ::before) cannot be resolved to a JS object, so WebArena's
      // getBoundingClientRect route never measures them and drops them; keep them unmeasured too.
      const pseudoNodes = new Set(document.nodes.pseudoType?.index ?? []);
      document.layout.nodeIndex.forEach((nodeIndex, layoutIndex) => {
        const backendId = document.nodes.backendNodeId?.[nodeIndex];
        const rect = document.layout.bounds[layoutIndex];
        if (backendId === undefined || !rect || pseudoNodes.has(nodeIndex) || boundsByBackendId.has(backendId)) return;
        const [x = 0, y = 0, width = 0, height = 0] = rect;
        boundsByBackendId.set(backendId, { x: x - scrollX, y: y - scrollY, width, height });
      });
    }
    const read = nodes.map((node, index): AccessibilityNode => ({
      nodeId: node.nodeId,
      ignored: node.ignored,
      role: node.role,
      name: node.name,
      properties: node.properties,
      childIds: node.childIds,
      backendDOMNodeId: node.backendDOMNodeId,
      bounds:
        index === 0
          ? { x: 0, y: 0, width: 10, height: 10 }
          : node.backendDOMNodeId === undefined
            ? null
            : (boundsByBackendId.get(node.backendDOMNodeId) ?? null),
    }));
    return elementIds === 'tree-position' ? numberNodesByTreePosition(read) : read;
  } finally {
    await session.detach().catch(() => undefined);
  }
}

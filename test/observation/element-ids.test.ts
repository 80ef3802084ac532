import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessibilityNode } from '../../src/observation/accessibility-node';
import { observePage, type Observation } from '../../src/observation/observe-page';
import { numberNodesByTreePosition, type ElementIdSource } from '../../src/observation/read-accessibility-tree';
import { launchChromium } from '../../src/stack/toolchain';
import { serveFixturePages, type FixtureServer } from '../fixtures/pages/serve-fixture-pages';

const node = (nodeId: string, childIds: string[] = []): AccessibilityNode => ({ nodeId, childIds, ignored: false, bounds: null, role: { type: 'role', value: 'generic' }, name: { type: 'computedString', value: nodeId } });

describe('numberNodesByTreePosition', () => {
  it('renames nodes and their child references to 1-based list positions', () => {
    const renamed = numberNodesByTreePosition([node('40', ['17', '93']), node('17'), node('93', ['5'])]);
    expect(renamed.map(({ nodeId, childIds }) => ({ nodeId, childIds }))).toEqual([
      { nodeId: '1', childIds: ['2', '3'] },
      // A child the tree did not list cannot be resolved, and cannot take another node's position.
      { nodeId: '2', childIds: [] },
      { nodeId: '3', childIds: ['unlisted-5'] },
    ]);
    expect(renamed[0]?.name?.value).toBe('40');
  });

  it('keeps the first position of a node listed twice', () => {
    expect(numberNodesByTreePosition([node('8', ['9']), node('9'), node('9')]).map(({ nodeId }) => nodeId)).toEqual(['1', '2', '2']);
  });
});

describe('observation element ids across browser processes', () => {
  let server: FixtureServer;
  let fresh: Browser;
  let used: Browser;

  beforeAll(async () => {
    server = await serveFixturePages();
    [fresh, used] = await Promise.all([launchChromium(), launchChromium()]);
    // The second browser shows other pages first, as a browser worker that ran earlier episodes has.
    const context = await used.newContext();
    const page = await context.newPage();
    for (const name of ['long-list.html', 'text-quirks.html', 'action-playground.html']) await page.goto(`${server.origin}/${name}`);
    await observePage(page, { elementIds: 'chromium' });
    await context.close();
  });
  afterAll(async () => {
    await Promise.all([fresh?.close(), used?.close()]);
    await server?.close();
  });

  async function observe(browser: Browser, elementIds: ElementIdSource): Promise<Observation> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/search-form.html`);
      return await observePage(page, { elementIds });
    } finally {
      await context.close();
    }
  }

  it('gives the same page the same text and ids with tree-position ids in a fresh and a used browser', async () => {
    // Chromium's own ids depend on the renderer process the context gets (often, not always, a new one);
    // tree-position ids depend only on the page.
    const [freshStable, usedStable] = [await observe(fresh, 'tree-position'), await observe(used, 'tree-position')];
    expect(usedStable.text).toBe(freshStable.text);
    expect([...usedStable.elements.keys()]).toEqual([...freshStable.elements.keys()]);
    expect(freshStable.text).toMatch(/^\[1\] RootWebArea /m);
  });

  it('addresses the same element (role, name and backend node) by each printed id', async () => {
    const observation = await observe(used, 'tree-position');
    const printed = [...observation.text.matchAll(/^\t*\[(\d+)\] (\S+) '([^']*)'/gm)];
    expect(printed.length).toBeGreaterThan(10);
    for (const [, id, role, name] of printed) {
      expect(observation.elements.get(id ?? ''), `id ${id}`).toMatchObject({ id, role, name, backendNodeId: expect.any(Number) as number });
    }
  });
});

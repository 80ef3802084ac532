import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observePage } from '../../src/observation/observe-page';
import { launchChromium } from '../../src/stack/toolchain';
import { serveFixturePages, type FixtureServer } from '../fixtures/pages/serve-fixture-pages';
import { observeFixture, renumberNodeIds } from './observe-fixture';

const PAGES = join(import.meta.dirname, '..', 'fixtures', 'pages');

let server: FixtureServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveFixturePages();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// The golden files were read line by line and judged against WEBARENA.md's observation rules.
describe('the observation of a fixture page matches its golden file', () => {
  const cases = [
    { page: 'search-form.html', golden: 'search-form.observation.txt', options: {} },
    { page: 'text-quirks.html', golden: 'text-quirks.observation.txt', options: {} },
    { page: 'text-quirks.html', golden: 'text-quirks.ratchet-mode.observation.txt', options: { mode: 'ratchet' as const } },
    { page: 'long-list.html', golden: 'long-list.scrolled.observation.txt', options: { scrollDown: 600 } },
  ];
  for (const { page, golden, options } of cases) {
    it(`${page} ${JSON.stringify(options)} renders as ${golden}`, async () => {
      const observation = await observeFixture(browser, server.origin, page, options);
      expect(`${renumberNodeIds(observation.text)}\n`).toBe(await readFile(join(PAGES, golden), 'utf8'));
    });
  }
});

describe('observing a live page', () => {
  it('maps every printed id to the element with that role and name, with a backend node', async () => {
    const observation = await observeFixture(browser, server.origin, 'search-form.html');
    const ids = [...observation.text.matchAll(/^\t*\[(\d+)\] (\S+) '([^']*)'/gm)];
    expect(ids.length).toBeGreaterThan(10);
    for (const [, id, role, name] of ids) {
      const element = observation.elements.get(id ?? '');
      expect(element, `id ${id}`).toMatchObject({ role, name });
      expect(element?.backendNodeId).toBeTypeOf('number');
    }
    expect([...observation.elements.values()].find((element) => element.role === 'button')?.description).toBe("button 'Search'");
  });

  it('lists every tab in the header and marks the active one as current', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const first = await context.newPage();
      await first.goto(`${server.origin}/search-form.html`);
      const second = await context.newPage();
      await second.goto(`${server.origin}/long-list.html`);
      const observation = await observePage(first);
      expect(observation.text.split('\n')[0]).toBe('Tab 0 (current): Corner Bookshop | Tab 1: Catalogue');
      expect(observation.text.split('\n')[1]).toBe('');
      expect((await observePage(second)).text.split('\n')[0]).toBe('Tab 0: Corner Bookshop | Tab 1 (current): Catalogue');
    } finally {
      await context.close();
    }
  });

  it('keeps only what is in the viewport: the top of a long list before scrolling, not its end', async () => {
    const observation = await observeFixture(browser, server.origin, 'long-list.html');
    expect(observation.text).toContain("heading 'Catalogue'");
    expect(observation.text).toContain("link 'Book number 1'");
    expect(observation.text).not.toContain("link 'Book number 60'");
    expect(observation.text).not.toContain('End of the catalogue');
  });

  it('cuts the observation to the token limit', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/long-list.html`);
      const full = await observePage(page);
      const cut = await observePage(page, { tokenLimit: 50 });
      expect(cut.text.length).toBeLessThan(full.text.length / 5);
      expect(full.text.startsWith(cut.text.slice(0, -2))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

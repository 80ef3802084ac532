import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEpisodeEnvironment } from '../../src/browser/open-episode-environment';
import { WorkerBrowser } from '../../src/browser/worker-browser';
import { serveFixturePages, type FixtureServer } from '../fixtures/pages/serve-fixture-pages';
import { waitUntil } from '../support/runs';
import { fixtureTask } from './fixture-task';

// Pages that navigate themselves right after they load. An observation taken while such a navigation
// is on its way or commits used to read the document being replaced (or fail with "Execution context
// was destroyed"); it must wait for the new document and observe that.

const HOPS = 6;
const SLOW_TARGET_DELAY_MS = 1_500;

const html = (title: string, body: string, head = '') => `<!doctype html><html><head><title>${title}</title>${head}</head><body>${body}</body></html>`;
// A page big enough that reading it takes a while, so a navigation can commit during the read.
const filler = (hop: number) => Array.from({ length: 300 }, (_, index) => `<p>hop ${hop} paragraph ${index} <a href="#p${index}">link ${index}</a></p>`).join('');

let server: FixtureServer;
const browser = new WorkerBrowser();

beforeAll(async () => {
  server = await serveFixturePages({
    // Script navigation on load to a page that answers slowly: the navigation is in flight when the episode observes.
    '/redirects-on-load': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end(html('Start', `<h1>Start page</h1>${filler(0)}`, `<script>addEventListener('load', () => { location.href = '/slow-target'; });</script>`));
    },
    '/slow-target': (_request, response) => {
      setTimeout(() => response.writeHead(200, { 'content-type': 'text/html' }).end(html('Target', '<h1>Arrived after a slow redirect</h1>')), SLOW_TARGET_DELAY_MS);
    },
    // A chain of pages, each sending the tab on as soon as it has loaded (script and meta refresh in turn).
    '/hop': (request, response) => {
      const hop = Number(new URL(request.url ?? '', 'http://fixture').searchParams.get('n'));
      if (hop >= HOPS) {
        response.writeHead(200, { 'content-type': 'text/html' }).end(html('Final', '<h1>Arrived at the end of the chain</h1><button>Done</button>'));
        return;
      }
      const next = `/hop?n=${hop + 1}`;
      const head = hop % 2 === 0
        ? `<script>addEventListener('load', () => location.replace(${JSON.stringify(next)}));</script>`
        : `<meta http-equiv="refresh" content="0;url=${next}">`;
      response.writeHead(200, { 'content-type': 'text/html' }).end(html(`Hop ${hop}`, `<h1>Hop ${hop}</h1>${filler(hop)}`, head));
    },
  });
});
afterAll(async () => {
  await browser.close();
  await server?.close();
});

describe('observing a page that navigates itself', { timeout: 120_000 }, () => {
  it('waits for a navigation already on its way and observes the page it leads to', async () => {
    const environment = await openEpisodeEnvironment({ browser, task: fixtureTask(`${server.origin}/redirects-on-load`), sites: { fixture: { url: server.origin } } });
    try {
      // The browser has asked for the next page; the server holds its answer.
      await waitUntil('the redirect to reach the server', () => Promise.resolve(server.requests.includes('/slow-target')), 10_000, 10);
      const observation = await environment.observe();
      expect(observation.url).toBe(`${server.origin}/slow-target`);
      expect(observation.text).toContain("Tab 0 (current): Target");
      expect(observation.text).toContain("heading 'Arrived after a slow redirect'");
      expect(observation.text).not.toContain('Start page');
    } finally {
      await environment.close();
    }
  });

  it('observes the last page of a chain of pages that each navigate on load, every time', async () => {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const environment = await openEpisodeEnvironment({ browser, task: fixtureTask(`${server.origin}/hop?n=0`), sites: { fixture: { url: server.origin } } });
      try {
        const observation = await environment.observe();
        expect(observation.url).toBe(`${server.origin}/hop?n=${HOPS}`);
        expect(observation.text).toContain("heading 'Arrived at the end of the chain'");
        expect(observation.text).toContain("button 'Done'");
        expect(observation.text).not.toMatch(/Hop \d/);
      } finally {
        await environment.close();
      }
    }
  });

  it('still observes a page that does not navigate at once, without waiting', async () => {
    const environment = await openEpisodeEnvironment({ browser, task: fixtureTask(`${server.origin}/hop?n=${HOPS}`), sites: { fixture: { url: server.origin } } });
    try {
      const started = Date.now();
      const observation = await environment.observe();
      expect(observation.text).toContain("button 'Done'");
      // No navigation to wait for: well under the settle deadline (5 s) even on a loaded machine.
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await environment.close();
    }
  });
});

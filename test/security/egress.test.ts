// The agent's browser reaches only the task's origins; generated OOD pages load nothing at all.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEpisode } from '../../src/agent/run-episode';
import type { BlockedRequest } from '../../src/browser/egress-policy';
import { installEgressPolicy } from '../../src/browser/egress-policy';
import { WorkerBrowser } from '../../src/browser/worker-browser';
import { createModelClient } from '../../src/llm/model-client';
import { groundOodAction } from '../../src/grounded-ood/ground-ood-action';
import { GROUNDED_PAGE_CSP, startGroundedPageServer, type GroundedPageServer } from '../../src/grounded-ood/grounded-page-server';
import { launchChromium } from '../../src/stack/toolchain';
import { fixtureTask } from '../browser/fixture-task';
import { startScriptedModelServer, type ScriptedModelServer } from '../agent/scripted-model-server';

/** A loopback site that records every request and WebSocket handshake, and greets each WebSocket with one text frame. */
interface RecordingSite {
  origin: string;
  requests: string[];
  upgrades: string[];
  close(): Promise<void>;
}

async function startRecordingSite(routes: Record<string, (response: ServerResponse) => void>, greeting: string): Promise<RecordingSite> {
  const requests: string[] = [];
  const upgrades: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const route = routes[new URL(request.url ?? '/', 'http://site').pathname];
    if (route) route(response);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket) => {
    upgrades.push(request.url ?? '');
    const accept = createHash('sha1').update(`${String(request.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const payload = Buffer.from(greeting);
    socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    upgrades,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

let outsider: RecordingSite;
let site: RecordingSite;
let model: ScriptedModelServer;
const workerBrowser = new WorkerBrowser();

const respond = (action: string) => `Let's think step-by-step. In summary, the next action I will perform is \`\`\`${action}\`\`\``;

/** The page a hostile site serves: it tries every way out on load, and offers three more to click. */
function leakyPage(): string {
  const out = outsider.origin;
  const ws = out.replace('http:', 'ws:');
  const own = site.origin.replace('http:', 'ws:');
  return `<!doctype html><title>Leaky shop</title>
<h1>Leaky shop</h1>
<p id="own-fetch">own fetch pending</p><p id="own-socket">own socket pending</p><p id="outside-socket">outside socket pending</p><p id="service-worker">service worker pending</p>
<img src="${out}/pixel.gif" alt="">
<script src="${out}/script.js"></script>
<link rel="stylesheet" href="${out}/style.css">
<iframe src="${out}/frame.html" title="outside frame"></iframe>
<a href="${out}/link-target">Leave by link</a>
<form method="post" action="${out}/form-target"><input name="card" value="4111" aria-label="Card"><button type="submit">Post the form</button></form>
<button onclick="window.location = '${out}/location-target'">Jump by script</button>
<script>
fetch('${out}/fetch').catch(() => {});
Promise.resolve(navigator.serviceWorker?.register('/sw.js')).then((registration) => (registration ? 'registered' : 'missing'), () => 'refused')
  .then((outcome) => { document.getElementById('service-worker').textContent = 'service worker ' + outcome; });
fetch('/own-data').then((r) => r.text()).then((text) => { document.getElementById('own-fetch').textContent = 'own fetch said ' + text; });
const own = new WebSocket('${own}/socket');
own.onmessage = (event) => { document.getElementById('own-socket').textContent = 'own socket said ' + event.data; };
const outside = new WebSocket('${ws}/socket');
outside.onmessage = (event) => { document.getElementById('outside-socket').textContent = 'outside socket said ' + event.data; };
outside.onclose = (event) => { document.getElementById('outside-socket').textContent = 'outside socket closed ' + event.code; };
</script>`;
}

/** Own-origin URLs that answer HTTP 302 to the other origin, each first requested by a different kind of request. */
const BOUNCES = ['tab', 'img', 'script', 'frame', 'fetch', 'worker'] as const;

/** A page whose own-origin requests all redirect to the other origin, including the first request of a new tab. */
function bouncyPage(): string {
  return `<!doctype html><title>Bouncy</title>
<img src="/bounce-img" alt=""><script src="/bounce-script"></script><iframe src="/bounce-frame" title="frame"></iframe>
<p id="fetch">fetch pending</p>
<script>
window.open('/bounce-tab');
fetch('/bounce-fetch').then(() => 'reached', () => 'failed').then((outcome) => { document.getElementById('fetch').textContent = 'fetch ' + outcome; });
try { new Worker('/bounce-worker'); } catch {}
</script>`;
}

beforeAll(async () => {
  outsider = await startRecordingSite({}, 'leaked');
  site = await startRecordingSite({
    '/leaky': (response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(leakyPage()),
    '/own-data': (response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('hello'),
    '/sw.js': (response) => response.writeHead(200, { 'content-type': 'text/javascript' }).end(`self.addEventListener('fetch', () => fetch('${outsider.origin}/from-service-worker'));`),
    '/bouncy': (response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(bouncyPage()),
    ...Object.fromEntries(BOUNCES.map((name) => [`/bounce-${name}`, (response: ServerResponse) => response.writeHead(302, { location: `${outsider.origin}/bounced-${name}` }).end()])),
  }, 'welcome');
  // Click the link, post the form, run the script jump (going back to the page after each blocked
  // navigation left an error page), then answer.
  const plan = ['Leave by link', 'Post the form', 'Jump by script'];
  let next = 0;
  model = await startScriptedModelServer((request) => {
    const observation = request.messages.at(-1)?.content ?? '';
    const label = plan[next];
    if (!label) return respond('stop [done]');
    const id = new RegExp(`\\[(\\d+)\\] (?:link|button) '${label}'`).exec(observation)?.[1];
    if (!id) return respond(`goto [${site.origin}/leaky]`);
    next += 1;
    return respond(`click [${id}]`);
  });
});

afterAll(async () => {
  await workerBrowser.close();
  await model?.close();
  await site?.close();
  await outsider?.close();
});

describe('an episode on a page that tries to reach another origin', () => {
  it('blocks and records fetch, img, script, stylesheet, iframe, WebSocket, link, form post and window.location; the task\'s own origin still works', async () => {
    const blocked: BlockedRequest[] = [];
    const observations: string[] = [];
    const outcome = await runEpisode({
      task: fixtureTask(`${site.origin}/leaky`),
      browser: workerBrowser,
      sites: { fixture: { url: site.origin } },
      model: { client: createModelClient({ baseUrl: model.baseUrl, timeoutMs: 30_000 }), model: 'scripted', temperature: 0, seed: 1 },
      maxSteps: 10,
      onStep: (step) => {
        observations.push(step.observation);
        return Promise.resolve();
      },
      onBlockedRequest: (request) => blocked.push(request),
    });

    expect(outcome.environmentError).toBeNull();
    expect(outcome.answer).toBe('done');
    expect(outcome.score).toBe(1);
    const out = outsider.origin;
    const byUrl = new Map(blocked.map((request) => [request.url.replace(/\?.*$/, ''), request]));
    for (const path of ['/pixel.gif', '/script.js', '/style.css', '/frame.html', '/fetch', '/link-target', '/location-target']) {
      expect(byUrl.has(`${out}${path}`), `${path} blocked; blocked: ${[...byUrl.keys()].join(', ')}`).toBe(true);
    }
    expect(byUrl.get(`${out}/form-target`)?.method).toBe('POST');
    expect(byUrl.get(`${out.replace('http:', 'ws:')}/socket`)?.resourceType).toBe('websocket');
    expect(blocked.every((request) => request.url.startsWith(out) || request.url.startsWith(out.replace('http:', 'ws:')))).toBe(true);

    // Nothing arrived at the other origin, not even a WebSocket handshake.
    expect(outsider.requests).toEqual([]);
    expect(outsider.upgrades).toEqual([]);
    // The task's own origin: the page and its fetch worked; the outside socket was closed by the policy.
    const seen = observations.join('\n');
    expect(seen).toContain('own fetch said hello');
    expect(seen).toContain('outside socket closed 1008');
    expect(seen).not.toContain('outside socket said');
    // No service worker can be left behind to answer or send requests outside the policy.
    expect(seen).toMatch(/service worker (refused|missing)/);
    expect(site.requests).not.toContain('GET /sw.js');
  });

  it('blocks a redirect to another origin on the first request of a new tab, an image, a script, a frame, a fetch and a worker', async () => {
    const browser = await workerBrowser.browser();
    const context = await browser.newContext();
    const blocked: string[] = [];
    try {
      await installEgressPolicy(context, new Set([site.origin]), (request) => blocked.push(request.url));
      const page = await context.newPage();
      const popup = context.waitForEvent('page');
      await page.goto(`${site.origin}/bouncy`);
      await expect.poll(() => page.locator('#fetch').textContent(), { timeout: 10_000 }).toBe('fetch failed');
      const tab = await popup;
      await tab.waitForLoadState('load').catch(() => undefined);
      const bounced = BOUNCES.map((name) => `${outsider.origin}/bounced-${name}`);
      await expect.poll(() => bounced.filter((url) => !blocked.includes(url)), { timeout: 10_000 }).toEqual([]);
      // Every first request reached the task's own origin, and nothing reached the other one.
      for (const name of BOUNCES) expect(site.requests).toContain(`GET /bounce-${name}`);
      expect(outsider.requests).toEqual([]);
    } finally {
      await context.close();
    }
  });

  // Known defect, kept visible: since the request policy fulfils allowed requests itself (route.fetch
  // with redirects off, to catch cross-origin redirects), a WebSocket to the page's own origin closes
  // with 1006 before its handshake reaches the server, with or without the WebSocket policy (a context
  // whose only route is `route.fulfill({ response: await route.fetch() })` shows the same). When this
  // starts passing, turn it into a plain `it`.
  it.fails('lets a WebSocket to the task\'s own origin connect', async () => {
    const outcome = await runEpisode({
      task: fixtureTask(`${site.origin}/leaky`),
      browser: workerBrowser,
      sites: { fixture: { url: site.origin } },
      model: { client: createModelClient({ baseUrl: model.baseUrl, timeoutMs: 30_000 }), model: 'scripted', temperature: 0, seed: 1 },
      maxSteps: 1,
      onStep: (step) => {
        expect(step.observation).toContain('own socket said welcome');
        return Promise.resolve();
      },
    });
    expect(outcome.environmentError).toBeNull();
    expect(site.upgrades).toContain('/socket');
  });
});

describe('the grounded OOD page server', () => {
  let browser: Browser;
  let pages: GroundedPageServer;

  beforeAll(async () => {
    browser = await launchChromium();
    pages = await startGroundedPageServer();
  });
  afterAll(async () => {
    await pages?.close();
    await browser?.close();
  });

  const hostileHtml = () => {
    const out = outsider.origin;
    return `<!doctype html><title>Generated</title>
<script>fetch('${out}/fetch'); document.title = 'script ran';</script>
<script src="${out}/script.js"></script>
<img src="${out}/pixel.gif"><img src="/same-origin.png">
<link rel="stylesheet" href="${out}/style.css">
<iframe src="${out}/frame.html"></iframe>
<form action="${out}/form-target" method="post"><button id="go">Go</button></form>
<a id="away" href="${out}/link-target">Away</a>`;
  };

  it('serves generated pages with the deny-all CSP, so even a browser with open network loads nothing but the page', async () => {
    const url = pages.publish(hostileHtml());
    const response = await fetch(url);
    expect(response.headers.get('content-security-policy')).toBe(GROUNDED_PAGE_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');

    // No egress policy here: the CSP alone must stop every load.
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // Chromium reports a load the CSP refuses as a request that fails
      // (DevTools shows "(blocked:csp)"), with the error text 'csp'; nothing goes on the network.
      const requested: string[] = [];
      const refused = new Map<string, string>();
      const answered: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      page.on('requestfailed', (request) => refused.set(request.url(), request.failure()?.errorText ?? ''));
      page.on('response', (answer) => answered.push(answer.url()));
      await page.goto(url);
      // The inline script did not run (it would have renamed the page).
      expect(await page.title()).toBe('Generated');
      // form-action 'none': submitting the form goes nowhere.
      await page.click('#go').catch(() => undefined);
      await page.waitForTimeout(500);
      expect(answered).toEqual([url]);
      expect(requested.length).toBeGreaterThan(1);
      for (const other of requested.filter((requestUrl) => requestUrl !== url)) expect(refused.get(other), other).toBe('csp');
      expect(outsider.requests).toEqual([]);
    } finally {
      await context.close();
      pages.unpublish(url);
    }
  });

  it('gives the grounding context no network beyond the page server origin', async () => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const blocked: string[] = [];
    try {
      await installEgressPolicy(context, new Set([pages.origin]), (request) => blocked.push(request.url));
      const page = await context.newPage();
      const url = pages.publish(hostileHtml());
      await page.goto(url);
      await expect(page.goto(`${outsider.origin}/direct`)).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
      expect(blocked).toEqual([`${outsider.origin}/direct`]);
      expect(outsider.requests).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('renders markup inside an observation as text, and performs the action without any request leaving', async () => {
    const observation = [
      'Tab 0 (current): Generated',
      '',
      "[1] RootWebArea 'Generated' focused: True",
      `\t[2] link '<img src=${outsider.origin}/from-observation.gif>'`,
      `\t[3] StaticText '<script>fetch("${outsider.origin}/from-observation")</script>'`,
    ].join('\n');
    const outcome = await groundOodAction({ browser, server: pages, observation, response: respond('click [2]') });
    expect(outcome).toMatchObject({ grounded: true, check: 'performed', blockedRequests: [] });
    expect(outsider.requests).toEqual([]);
  });
});

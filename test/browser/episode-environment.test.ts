import { readFile, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/browser/environment-error';
import { executeAction } from '../../src/browser/execute-action';
import { openEpisodeEnvironment } from '../../src/browser/open-episode-environment';
import type { SiteEndpoint } from '../../src/browser/site-login';
import { WorkerBrowser } from '../../src/browser/worker-browser';
import { serveFixturePages, type FixtureServer } from '../fixtures/pages/serve-fixture-pages';
import { fixtureTask } from './fixture-task';

const LOGIN = { path: '/login', usernameField: 'user', passwordField: 'pass', username: 'emma', password: 'secret' };

/** A tiny site with accounts: /login sets a session cookie, /account needs it. */
class AccountSite {
  sessions = new Set<string>();
  loginPosts = 0;
  server!: FixtureServer;

  async start(): Promise<void> {
    this.server = await serveFixturePages({
      '/login': (request, response, body) => {
        if (request.method !== 'POST') {
          response.writeHead(200, { 'content-type': 'text/html' }).end('<title>Sign in</title><form method="post" action="/login"><input name="user" aria-label="User"><input name="pass" type="password" aria-label="Password"><button>Sign in</button></form>');
          return;
        }
        this.loginPosts += 1;
        const form = new URLSearchParams(body);
        if (form.get('user') !== LOGIN.username || form.get('pass') !== LOGIN.password) {
          response.writeHead(200, { 'content-type': 'text/html' }).end('<title>Sign in</title><p>Wrong password</p>');
          return;
        }
        const session = `s${this.loginPosts}`;
        this.sessions.add(session);
        response.writeHead(303, { location: '/account', 'set-cookie': `session=${session}; Path=/; Max-Age=3600; HttpOnly` }).end();
      },
      '/account': (request, response) => {
        const session = /session=(\w+)/.exec(request.headers.cookie ?? '')?.[1];
        if (!session || !this.sessions.has(session)) {
          response.writeHead(302, { location: '/login' }).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html' }).end(`<title>Account</title><h1>Signed in with ${session}</h1>`);
      },
      // Open to anyone: shows who is signed in, without sending a stale session to the login page.
      '/home': (request, response) => {
        const session = /session=(\w+)/.exec(request.headers.cookie ?? '')?.[1];
        const who = session && this.sessions.has(session) ? `Signed in with ${session}` : 'Not signed in';
        response.writeHead(200, { 'content-type': 'text/html' }).end(`<title>Home</title><h1>${who}</h1>`);
      },
      '/logout': (request, response) => {
        const session = /session=(\w+)/.exec(request.headers.cookie ?? '')?.[1];
        if (session) this.sessions.delete(session);
        response.writeHead(303, { location: '/home', 'set-cookie': 'session=; Path=/; Max-Age=0' }).end();
      },
      '/calls-elsewhere': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' }).end(`<title>Leaky</title><script>fetch(${JSON.stringify(outsider.origin + '/track')}).catch(() => {}); </script><img src="${outsider.origin}/pixel.gif">`);
      },
    });
  }

  get endpoint(): SiteEndpoint {
    return { url: this.server.origin, login: LOGIN };
  }
}

const site = new AccountSite();
let outsider: FixtureServer;
const browser = new WorkerBrowser();
let workDir: string;

beforeAll(async () => {
  outsider = await serveFixturePages();
  await site.start();
  workDir = await mkdtemp(join(tmpdir(), 'ratchet-episode-'));
});

afterAll(async () => {
  await browser.close();
  await site.server?.close();
  await outsider?.close();
});

const loginTask = () => fixtureTask(`${site.server.origin}/account`, { require_login: true });

describe('strict egress', () => {
  it('blocks and records requests to any origin but the task sites, and the other server never sees them', async () => {
    const blocked: string[] = [];
    const environment = await openEpisodeEnvironment({
      browser,
      task: fixtureTask(`${site.server.origin}/calls-elsewhere`),
      sites: { fixture: site.endpoint },
      onBlockedRequest: (request) => blocked.push(request.url),
    });
    try {
      await expect.poll(() => environment.blockedRequests.length).toBe(2);
      expect(new Set(environment.blockedRequests.map((request) => request.url))).toEqual(new Set([`${outsider.origin}/track`, `${outsider.origin}/pixel.gif`]));
      expect(blocked).toHaveLength(2);
      const observation = await environment.observe();
      const attempt = await executeAction(environment, { name: 'goto', url: `${outsider.origin}/search-form.html` }, observation);
      expect(attempt.status === 'failed' ? attempt.error : attempt.status).toContain('ERR_BLOCKED_BY_CLIENT');
      expect(environment.blockedRequests).toHaveLength(3);
      expect(() => environment.assertHealthy('after goto')).not.toThrow();
      expect(outsider.requests).toEqual([]);
    } finally {
      await environment.close();
    }
  });
});

describe('logging in', () => {
  it('logs in by script once, reuses the cookies in the next episode, and logs in again when the login page reappears', async () => {
    const first = await openEpisodeEnvironment({ browser, task: loginTask(), sites: { fixture: site.endpoint } });
    expect(await first.activePage.textContent('h1')).toBe('Signed in with s1');
    await first.close();
    expect(site.loginPosts).toBe(1);

    const second = await openEpisodeEnvironment({ browser, task: loginTask(), sites: { fixture: site.endpoint } });
    expect(await second.activePage.textContent('h1')).toBe('Signed in with s1');
    await second.close();
    expect(site.loginPosts).toBe(1);

    site.sessions.clear(); // the site forgot every session (a restart)
    const third = await openEpisodeEnvironment({ browser, task: loginTask(), sites: { fixture: site.endpoint } });
    expect(await third.activePage.textContent('h1')).toBe('Signed in with s2');
    expect(third.context.pages()).toHaveLength(1);
    await third.close();
    expect(site.loginPosts).toBe(2);
  });

  it('logs in again after an episode that logged out, instead of reusing the ended session', async () => {
    const homeTask = () => fixtureTask(`${site.server.origin}/home`, { require_login: true });
    const first = await openEpisodeEnvironment({ browser, task: homeTask(), sites: { fixture: site.endpoint } });
    expect(await first.activePage.textContent('h1')).toMatch(/^Signed in with s\d+$/);
    const loginsBefore = site.loginPosts;
    await first.activePage.goto(`${site.server.origin}/logout`);
    expect(await first.activePage.textContent('h1')).toBe('Not signed in');
    await first.close();

    const second = await openEpisodeEnvironment({ browser, task: homeTask(), sites: { fixture: site.endpoint } });
    expect(await second.activePage.textContent('h1')).toBe(`Signed in with s${loginsBefore + 1}`);
    await second.close();
    expect(site.loginPosts).toBe(loginsBefore + 1);

    // An episode that stays signed in leaves the cached session to the next one.
    const third = await openEpisodeEnvironment({ browser, task: homeTask(), sites: { fixture: site.endpoint } });
    expect(await third.activePage.textContent('h1')).toBe(`Signed in with s${loginsBefore + 1}`);
    await third.close();
    expect(site.loginPosts).toBe(loginsBefore + 1);
  });

  it('fails with an EnvironmentError naming the site and user when the credentials are wrong', async () => {
    const wrong = { url: site.server.origin, login: { ...LOGIN, password: 'nope' } };
    await expect(openEpisodeEnvironment({ browser: new WorkerBrowser(), task: loginTask(), sites: { fixture: wrong } })).rejects.toThrow(
      /log in to site "fixture" .* as "emma": still on the login page/,
    );
  });

  it('uses a saved storage state instead of logging in when the task names one that exists', async () => {
    site.sessions.add('saved');
    const statePath = join(workDir, 'state.json');
    const { hostname } = new URL(site.server.origin);
    await writeFile(statePath, JSON.stringify({ cookies: [{ name: 'session', value: 'saved', domain: hostname, path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' }], origins: [] }));
    const posts = site.loginPosts;
    const environment = await openEpisodeEnvironment({ browser: new WorkerBrowser(), task: { ...loginTask(), storage_state: statePath }, sites: { fixture: site.endpoint } });
    try {
      expect(await environment.activePage.textContent('h1')).toBe('Signed in with saved');
      expect(site.loginPosts).toBe(posts);
    } finally {
      await environment.close();
    }
  });
});

describe('environment failures and traces', () => {
  it('reports a start URL on a site that does not answer as an EnvironmentError', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const dead = `http://127.0.0.1:${port}`;
    const attempt = openEpisodeEnvironment({ browser, task: fixtureTask(`${dead}/`), sites: { fixture: { url: dead } } });
    await expect(attempt).rejects.toBeInstanceOf(EnvironmentError);
    await expect(attempt).rejects.toThrow(/did not load: .*ERR_CONNECTION_REFUSED/);
  });

  it('rejects a task whose site is not configured before opening anything', async () => {
    await expect(openEpisodeEnvironment({ browser, task: { ...fixtureTask('__GITLAB__/'), sites: ['gitlab'] }, sites: { fixture: site.endpoint } })).rejects.toThrow(
      'task 1: site "gitlab" is not configured (configured: fixture)',
    );
  });

  it('writes a Playwright trace zip with screenshots when the episode closes', async () => {
    const tracePath = join(workDir, 'traces', 'episode.zip');
    const environment = await openEpisodeEnvironment({ browser, task: fixtureTask(`${outsider.origin}/search-form.html`), sites: { fixture: { url: outsider.origin } }, tracePath });
    await environment.observe();
    await environment.close();
    const zip = await readFile(tracePath);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zip.includes(Buffer.from('trace.trace'))).toBe(true);
    expect(zip.includes(Buffer.from('.jpeg'))).toBe(true);
  });
});

describe('a crashed tab', () => {
  it('turns into an EnvironmentError on the next observation', async () => {
    const environment = await openEpisodeEnvironment({ browser, task: fixtureTask(`${outsider.origin}/search-form.html`), sites: { fixture: { url: outsider.origin } } });
    try {
      const session = await environment.context.newCDPSession(environment.activePage);
      // Page.crash never answers: the renderer dies before it can.
      void session.send('Page.crash').catch(() => undefined);
      await expect.poll(() => environment.observe().then(() => 'observed', (error: unknown) => (error instanceof EnvironmentError ? error.message : String(error)))).toMatch(/crashed/);
    } finally {
      await environment.close();
    }
  });
});

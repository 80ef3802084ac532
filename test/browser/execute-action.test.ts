import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedAction } from '../../src/actions/parsed-action';
import type { EpisodeEnvironment } from '../../src/browser/episode-environment';
import { executeAction } from '../../src/browser/execute-action';
import { openEpisodeEnvironment } from '../../src/browser/open-episode-environment';
import { WorkerBrowser } from '../../src/browser/worker-browser';
import type { Observation } from '../../src/observation/observe-page';
import { serveFixturePages, type FixtureServer } from '../fixtures/pages/serve-fixture-pages';
import { fixtureTask } from './fixture-task';

let server: FixtureServer;
const browser = new WorkerBrowser();

beforeAll(async () => {
  server = await serveFixturePages();
});

afterAll(async () => {
  await browser.close();
  await server?.close();
});

async function withPlayground(run: (environment: EpisodeEnvironment) => Promise<void>, startUrl = `${server.origin}/action-playground.html`): Promise<void> {
  const environment = await openEpisodeEnvironment({ browser, task: fixtureTask(startUrl), sites: { fixture: { url: server.origin } } });
  try {
    await run(environment);
  } finally {
    await environment.close();
  }
}

/** The id of the first observed element with this role and name. */
function idOf(observation: Observation, role: string, name: string): string {
  const element = [...observation.elements.values()].find((candidate) => candidate.role === role && candidate.name === name);
  if (!element) throw new Error(`no ${role} '${name}' in:\n${observation.text}`);
  return element.id;
}

async function act(environment: EpisodeEnvironment, build: (observation: Observation) => ParsedAction) {
  const observation = await environment.observe();
  return executeAction(environment, build(observation), observation);
}

const status = (environment: EpisodeEnvironment) => environment.activePage.locator('#status').textContent();

describe('executeAction in a real browser', () => {
  it('click presses the element with that id', async () => {
    await withPlayground(async (environment) => {
      expect(await act(environment, (o) => ({ name: 'click', id: idOf(o, 'button', 'Press me') }))).toMatchObject({ status: 'done' });
      expect(await status(environment)).toBe('Clicked the button');
    });
  });

  it('hover moves the mouse over the element', async () => {
    await withPlayground(async (environment) => {
      await act(environment, (o) => ({ name: 'hover', id: idOf(o, 'button', 'Hover me') }));
      expect(await status(environment)).toBe('Hovered');
    });
  });

  it('type appends to the field without clearing it and presses Enter unless told not to', async () => {
    await withPlayground(async (environment) => {
      await act(environment, (o) => ({ name: 'type', id: idOf(o, 'textbox', 'Query'), text: '-typed', pressEnter: false }));
      expect(await environment.activePage.locator('#q').inputValue()).toBe('pre-typed');
      expect(await status(environment)).toBe('Nothing yet');
      await act(environment, (o) => ({ name: 'type', id: idOf(o, 'textbox', 'Query'), text: '!', pressEnter: true }));
      expect(await status(environment)).toMatch(/^Submitted pre.*!$/);
    });
  });

  it('press sends a key combination to the focused element, with ctrl mapped to Control', async () => {
    await withPlayground(async (environment) => {
      await act(environment, (o) => ({ name: 'click', id: idOf(o, 'textbox', 'Key log') }));
      await act(environment, () => ({ name: 'press', keys: 'ctrl+a' }));
      await act(environment, () => ({ name: 'press', keys: 'Enter' }));
      expect(await environment.activePage.locator('#keys').getAttribute('data-log')).toBe('Ctrl+Control Ctrl+a Enter ');
    });
  });

  it('press with an unknown key fails without ending the episode', async () => {
    const attempt = await withResult((environment) => act(environment, () => ({ name: 'press', keys: 'NoSuchKey' })));
    expect(attempt).toMatchObject({ status: 'failed' });
    if (attempt.status === 'failed') expect(attempt.error).toContain('NoSuchKey');
  });

  it('scroll moves one viewport down and back up', async () => {
    await withPlayground(async (environment) => {
      await act(environment, () => ({ name: 'scroll', direction: 'down' }));
      expect(await environment.activePage.evaluate(() => window.scrollY)).toBe(720);
      await act(environment, () => ({ name: 'scroll', direction: 'up' }));
      expect(await environment.activePage.evaluate(() => window.scrollY)).toBe(0);
    });
  });

  it('a click on a link waits for the new page to load', async () => {
    await withPlayground(async (environment) => {
      await act(environment, (o) => ({ name: 'click', id: idOf(o, 'link', 'Go to the bookshop') }));
      expect(environment.activePage.url()).toBe(`${server.origin}/search-form.html`);
      expect((await environment.observe()).text).toContain("heading 'Find a book'");
    });
  });

  it('a link that opens a new tab makes that tab active', async () => {
    await withPlayground(async (environment) => {
      await act(environment, (o) => ({ name: 'click', id: idOf(o, 'link', 'Open the catalogue in a new tab') }));
      expect(environment.context.pages()).toHaveLength(2);
      expect(environment.activePage.url()).toBe(`${server.origin}/long-list.html`);
      expect((await environment.observe()).text.split('\n')[0]).toBe('Tab 0: Action playground | Tab 1 (current): Catalogue');
    });
  });

  it('new_tab, goto, tab_focus and close_tab manage tabs', async () => {
    await withPlayground(async (environment) => {
      await act(environment, () => ({ name: 'new_tab' }));
      expect(environment.context.pages()).toHaveLength(2);
      await act(environment, () => ({ name: 'goto', url: `${server.origin}/long-list.html` }));
      expect(environment.activePage.url()).toBe(`${server.origin}/long-list.html`);
      await act(environment, () => ({ name: 'tab_focus', tab: 0 }));
      expect(environment.activePage.url()).toBe(`${server.origin}/action-playground.html`);
      const badFocus = await act(environment, () => ({ name: 'tab_focus', tab: 5 }));
      expect(badFocus.status === 'failed' ? badFocus.error : badFocus.status).toContain('there is no tab 5');
      await act(environment, () => ({ name: 'close_tab' }));
      expect(environment.context.pages()).toHaveLength(1);
      expect(environment.activePage.url()).toBe(`${server.origin}/long-list.html`);
    });
  });

  it('go_back and go_forward move through the history', async () => {
    await withPlayground(async (environment) => {
      await act(environment, () => ({ name: 'goto', url: `${server.origin}/search-form.html` }));
      await act(environment, () => ({ name: 'go_back' }));
      expect(environment.activePage.url()).toBe(`${server.origin}/action-playground.html`);
      await act(environment, () => ({ name: 'go_forward' }));
      expect(environment.activePage.url()).toBe(`${server.origin}/search-form.html`);
    });
  });

  it('an id that is not in the observation is a missing element and nothing happens', async () => {
    await withPlayground(async (environment) => {
      expect(await act(environment, () => ({ name: 'click', id: '999999' }))).toEqual({ status: 'missing_element' });
      expect(await status(environment)).toBe('Nothing yet');
    });
  });

  it('opens several start URLs one per tab with tab 0 active', async () => {
    await withPlayground(async (environment) => {
      await environment.activePage.waitForLoadState('load');
      expect(environment.context.pages().map((page) => page.url())).toEqual([`${server.origin}/action-playground.html`, `${server.origin}/long-list.html`]);
      expect(environment.activePage.url()).toBe(`${server.origin}/action-playground.html`);
    }, `${server.origin}/action-playground.html |AND| ${server.origin}/long-list.html`);
  });
});

async function withResult<T>(run: (environment: EpisodeEnvironment) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await withPlayground(async (environment) => {
    result = await run(environment);
  });
  return result as T;
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { evaluateTask } from '../../src/evaluators/evaluate-task';
import type { FuncHelper } from '../../src/evaluators/func-helpers';
import { launchChromium } from '../../src/stack/toolchain';
import { taskConfigSchema, type ProgramHtmlTarget, type TaskConfig } from '../../src/tasks/task-config';

const PAGES: Record<string, string> = {
  '/order': `<html><head><title>Order</title></head><body>
    <div class="order">Total: <span id="total">$0.00</span></div>
    <p id="note">Tom &amp; Jerry&#39;s</p>
    <input name="simple_action" value="by_fixed">
    <button id="reveal" onclick="document.querySelector('[name=simple_action]').value='by_percent'">Actions</button>
    <ul><li><a href="/a">A</a></li><li><a href="/b">B</a></li></ul>
    <div id="empty"></div></body></html>`,
  '/post/42': '<html><body><h1 class="title">Hello world</h1></body></html>',
};

let server: Server;
let base: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = createServer((request, response) => {
    const html = PAGES[request.url ?? ''];
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html' }).end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(async () => {
  await page?.close();
  page = await browser.newPage();
  await page.goto(`${base}/order`);
});

function task(targets: ProgramHtmlTarget[]): TaskConfig {
  return taskConfigSchema.parse({
    task_id: 11, sites: ['shopping'], intent: 'Check the order', intent_template: 'Check the order', instantiation_dict: {},
    intent_template_id: 3, start_url: '__SHOP__/order', require_login: false, storage_state: null, geolocation: null, require_reset: false,
    eval: { eval_types: ['program_html'], reference_answers: null, reference_url: null, program_html: targets },
  });
}

async function score(targets: ProgramHtmlTarget[], options: { mode?: 'webarena' | 'ratchet'; funcHelpers?: Record<string, FuncHelper> } = {}) {
  return evaluateTask({ task: task(targets), answer: '', page, siteUrls: { __SHOP__: base }, ...options });
}

describe('program_html in a real browser', () => {
  it('reads the locator on the last page and checks exact_match after clean', async () => {
    const result = await score([{ url: 'last', locator: "document.querySelector('#total').outerText", required_contents: { exact_match: ' "$0.00" ' } }]);
    expect(result.score).toBe(1);
    expect(result.evaluatorVersion).toBe('webarena-compat-1');
    expect((await score([{ url: 'last', locator: "document.querySelector('#total').outerText", required_contents: { exact_match: '0' } }])).score).toBe(0);
  });

  it('uses the whole page HTML for an empty locator and HTML-unescapes it', async () => {
    expect((await score([{ url: 'last', locator: '', required_contents: { must_include: ["Tom & Jerry's"] } }])).score).toBe(1);
    expect((await score([{ url: 'last', locator: '  ', required_contents: { must_include: ['Spike'] } }])).score).toBe(0);
  });

  it('opens a target URL (placeholders replaced) before reading it', async () => {
    const result = await score([{ url: '__SHOP__/post/42', locator: "document.querySelector('.title').outerText", required_contents: { must_include: ['hello world'] } }]);
    expect(result.score).toBe(1);
    expect(page.url()).toBe(`${base}/post/42`);
  });

  it('must_include items pass when any |OR| alternative is present', async () => {
    const contents = (item: string) => [{ url: 'last', locator: "document.querySelector('#note').outerText", required_contents: { must_include: [item] } }];
    expect((await score(contents('Spike |OR| Jerry'))).score).toBe(1);
    expect((await score(contents('Spike |OR| Tyke'))).score).toBe(0);
  });

  it('a locator that throws or returns a falsy value reads as ""', async () => {
    const throwing = await score([{ url: 'last', locator: "document.querySelector('#missing').outerText", required_contents: { exact_match: '' } }]);
    expect(throwing.score).toBe(1);
    const falsy = await score([{ url: 'last', locator: "document.querySelector('#empty').getAttribute('data-x')", required_contents: { exact_match: '' } }]);
    expect(falsy.score).toBe(1);
    const notEmpty = await score([{ url: 'last', locator: "document.querySelector('#missing').outerText", required_contents: { must_include: ['None'] } }]);
    expect(notEmpty.score).toBe(0);
  });

  it('stringifies list results as Python does', async () => {
    const locator = "[...document.querySelectorAll('a')].map(ele => ele.getAttribute('href'))";
    expect((await score([{ url: 'last', locator, required_contents: { exact_match: "['/a', '/b']" } }])).score).toBe(1);
  });

  it('runs prep actions first, ignoring their errors; webarena mode stops at the first failing one', async () => {
    const locator = "document.querySelector('[name=\"simple_action\"]').value";
    const click = "document.querySelector('#reveal').click()";
    const failing = "document.querySelector('#missing').click()";
    expect((await score([{ url: 'last', locator, prep_actions: [click], required_contents: { exact_match: 'by_percent' } }])).score).toBe(1);
    await page.reload();
    expect((await score([{ url: 'last', locator, prep_actions: [failing, click], required_contents: { exact_match: 'by_fixed' } }])).score).toBe(1);
    await page.reload();
    expect((await score([{ url: 'last', locator, prep_actions: [failing, click], required_contents: { exact_match: 'by_percent' } }], { mode: 'ratchet' })).score).toBe(1);
  });

  it('calls func helpers for url and locator with __last_url__ and __page__ substituted', async () => {
    const calls: Array<{ name: string; args: string[]; lastUrl: string }> = [];
    const funcHelpers: Record<string, FuncHelper> = {
      post_url: (context, args) => { calls.push({ name: 'post_url', args, lastUrl: context.lastUrl }); return Promise.resolve(`${context.siteUrls.__SHOP__}/post/42`); },
      page_title: async (context, args) => { calls.push({ name: 'page_title', args, lastUrl: context.lastUrl }); return context.page.locator('h1').innerText(); },
    };
    const result = await score([{ url: "func:post_url('__last_url__')", locator: "func:page_title(__page__, 'h1')", required_contents: { exact_match: 'Hello World' } }], { funcHelpers });
    expect(result.score).toBe(1);
    expect(calls).toEqual([
      { name: 'post_url', args: [`${base}/order`], lastUrl: `${base}/order` },
      { name: 'page_title', args: ['h1'], lastUrl: `${base}/post/42` },
    ]);
  });

  it('an unknown func helper is an error naming it', async () => {
    await expect(score([{ url: 'func:no_such_helper()', locator: '', required_contents: { must_include: ['x'] } }])).rejects.toThrow('unknown helper "no_such_helper"');
  });

  it('multiplies targets: one failing target fails the task', async () => {
    const result = await score([
      { url: 'last', locator: "document.querySelector('#total').outerText", required_contents: { exact_match: '$0.00' } },
      { url: '__SHOP__/post/42', locator: '', required_contents: { must_include: ['Goodbye'] } },
    ]);
    expect(result.score).toBe(0);
    expect(result.evaluators[0]?.detail).toContain('target 1');
  });

  it('a target URL that cannot be opened leaves the task unscored', async () => {
    await expect(score([{ url: 'http://127.0.0.1:1/', locator: '', required_contents: { must_include: ['x'] } }])).rejects.toThrow('evaluating task 11 with program_html: target 0 could not open');
  });
});

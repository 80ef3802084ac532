import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCritiqueActivities } from '../../src/activities/critique';
import { createLlmActivities } from '../../src/activities/llm';
import { createMixActivities } from '../../src/activities/mix';
import { installEgressPolicy } from '../../src/browser/egress-policy';
import { renderAccessibilityPageHtml } from '../../src/grounded-ood/accessibility-page-html';
import { groundOodAction } from '../../src/grounded-ood/ground-ood-action';
import { GROUNDED_PAGE_CSP, startGroundedPageServer, type GroundedPageServer } from '../../src/grounded-ood/grounded-page-server';
import { launchChromium } from '../../src/stack/toolchain';
import { listDatasetExamples } from '../../src/storage/datasets';
import { listSyntheticExamples } from '../../src/storage/synthetic-examples';
import { smallRunSpec } from '../support/runs';
import { startTestStack, type TestStack } from '../support/stack';
import { asActivity, prepareRound, rollOutRound } from './run-fixture';

const PAGE = [
  "Tab 0 (current): Marie Curie - Wikipedia",
  '',
  "[101] RootWebArea 'Marie Curie - Wikipedia' focused: True",
  "\t[102] link 'Home'",
  "\t[104] searchbox 'Search' required: False",
  "\t[107] heading 'Marie Curie'",
  "\t[110] StaticText 'Physicist and chemist <script>alert(1)</script>'",
  "\t[111] button 'Read more'",
].join('\n');

const respond = (action: string) => `Let's think step-by-step. In summary, the next action I will perform is \`\`\`${action}\`\`\``;

let browser: Browser;
let server: GroundedPageServer;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startGroundedPageServer();
});
afterAll(async () => {
  await server?.close();
  await browser?.close();
});

describe('grounding an OOD action on its rendered page', { timeout: 60_000 }, () => {
  it('renders each node line as an element with its role and name and the id in a data attribute, with no script', () => {
    const html = renderAccessibilityPageHtml(PAGE);
    expect(html).toContain('<title>Marie Curie - Wikipedia</title>');
    expect(html).toContain('<a data-ratchet-id="102" href="#node-102">Home</a>');
    expect(html).toContain('<input data-ratchet-id="104" type="search" aria-label="Search">');
    expect(html).toContain('<h2 data-ratchet-id="107">Marie Curie</h2>');
    expect(html).toContain('<button data-ratchet-id="111" type="button">Read more</button>');
    expect(html).not.toContain('<script');
  });

  it('serves pages on loopback with a Content-Security-Policy that allows nothing, and 404 for anything else', async () => {
    const url = server.publish('<!doctype html><p>hi</p>');
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(GROUNDED_PAGE_CSP);
    expect((await fetch(`${server.origin}/page/unknown`)).status).toBe(404);
  });

  it('clicks the link whose data attribute holds the action id', async () => {
    const outcome = await groundOodAction({ browser, server, observation: PAGE, response: respond('click [102]') });
    expect(outcome).toMatchObject({ grounded: true, action: 'click [102]', check: 'performed', element: { tag: 'a', text: 'Home' } });
  });

  it('types into the search box and checks the text arrived', async () => {
    const outcome = await groundOodAction({ browser, server, observation: PAGE, response: respond('type [104] [radium] [1]') });
    expect(outcome).toMatchObject({ grounded: true, check: 'performed', element: { tag: 'input' } });
  });

  it('drops an action whose id is absent from the page, saying which', async () => {
    const outcome = await groundOodAction({ browser, server, observation: PAGE, response: respond('click [999]') });
    expect(outcome).toEqual({ grounded: false, reason: 'element [999] is not on the rendered page' });
  });

  it('drops typing into an element that is not editable', async () => {
    const outcome = await groundOodAction({ browser, server, observation: PAGE, response: respond('type [107] [radium] [0]') });
    expect(outcome.grounded).toBe(false);
    expect(outcome.grounded ? '' : outcome.reason).toContain('element [107] (h2');
  });

  it('drops a response whose action does not parse', async () => {
    const outcome = await groundOodAction({ browser, server, observation: PAGE, response: 'I would click the link.' });
    expect(outcome.grounded).toBe(false);
  });

  it('aborts every request that leaves the page server, recording it', async () => {
    const context = await browser.newContext();
    try {
      const blocked: string[] = [];
      await installEgressPolicy(context, new Set([server.origin]), (request) => blocked.push(request.url));
      const page = await context.newPage();
      await page.goto(server.publish(renderAccessibilityPageHtml(PAGE)));
      await expect(page.goto('http://127.0.0.2:9/elsewhere')).rejects.toThrow();
      expect(blocked).toEqual(['http://127.0.0.2:9/elsewhere']);
    } finally {
      await context.close();
    }
  });
});

describe('grounded OOD in the generate and mix activities', { timeout: 300_000 }, () => {
  let stack: TestStack;
  const runId = `grounded-${Date.now()}`;
  beforeAll(async () => {
    stack = await startTestStack({ workerQueues: [] });
  }, 120_000);
  afterAll(async () => {
    await stack?.teardown();
  });

  it('stores verified grounded_ood examples from the local model and the mixture uses them', async () => {
    const spec = smallRunSpec('grounded', { ood: { count: 2, grounded: true } });
    const { baseModelId } = await prepareRound(stack.deps, spec, runId);
    const result = await asActivity(() => createLlmActivities(stack.deps).generateOodExamples({ runId, round: 1, modelId: baseModelId }));
    expect(result.created).toBe(2);
    expect(result.dropped).toBe(result.dropReasons.length);

    const rows = await listSyntheticExamples(stack.deps.db, runId);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.kind).toBe('grounded_ood');
      expect(row.provenance).toMatchObject({ verified: true, round: 1, blockedRequests: 0 });
      expect(typeof row.provenance.groundedAction).toBe('string');
    }

    await rollOutRound(stack.deps, runId, baseModelId);
    await asActivity(() => createCritiqueActivities(stack.deps).critiqueRound({ runId, round: 1 }));
    const dataset = await asActivity(() => createMixActivities(stack.deps).buildRoundDataset({ runId, round: 1 }));
    // The preset's OOD source reads grounded examples: its kind says so, and the examples are the stored ones.
    const stored = await stack.deps.db.query('SELECT spec FROM datasets WHERE id = $1', [dataset.datasetId]);
    const sources = (stored.rows[0] as { spec: { sources: Array<{ id: string; kind: string }> } }).spec.sources;
    expect(sources.find((source) => source.id === 'ood')?.kind).toBe('grounded_ood');
    const mixed = [...await listDatasetExamples(stack.deps.db, dataset.datasetId, 'train'), ...await listDatasetExamples(stack.deps.db, dataset.datasetId, 'validation')]
      .filter((example) => example.source === 'ood');
    expect(mixed.length).toBeGreaterThan(0);
    const groundedResponses = new Set(rows.map((row) => row.response));
    expect(mixed.every((example) => groundedResponses.has(example.response))).toBe(true);
  });
});

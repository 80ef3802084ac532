import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatJsonlError, MixtureSpecError, parseChatJsonl, parseMixtureSpec } from '../../src/mixtures';
import { readTrainingFile } from '../../src/model-server/fine-tuning-jobs';
import { openDatabase } from '../../src/storage/database';
import { insertRun, listRuns } from '../../src/storage/runs';
import { createTestDatabase } from '../support/database';
import { runCli } from '../support/run-cli';

const folder = mkdtempSync(join(tmpdir(), 'ratchet-bad-input-'));
const write = (name: string, text: string): string => {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
};

/** A valid WebArena task (overrides merged over the top level). */
function task(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sites: ['shopping'],
    task_id: 1,
    require_login: false,
    storage_state: null,
    start_url: '__SHOPPING__/',
    geolocation: null,
    intent_template: 'What is the price of {{item}}?',
    instantiation_dict: { item: 'tea' },
    intent: 'What is the price of tea?',
    require_reset: false,
    intent_template_id: 5,
    eval: { eval_types: ['string_match'], reference_answers: { exact_match: '$2.00' }, reference_url: '', program_html: [] },
    ...overrides,
  };
}
const json = (value: unknown) => JSON.stringify(value, null, 2);
const withoutEval = (): Record<string, unknown> => {
  const { eval: _dropped, ...rest } = task();
  return rest;
};

// Each row: the file's text, and what stderr must say besides the file's path.
const RUN_SPECS: Array<{ name: string; text: string; says: string[] }> = [
  { name: 'not JSON (cut short)', text: '{\n  "name": "cut",\n  "rounds": ', says: ['invalid run spec', 'not valid JSON at line 3, column'] },
  { name: 'not an object', text: '[1, 2]', says: ['(root): Invalid input: expected object, received array'] },
  { name: 'wrong types', text: json({ name: 'types', rounds: 'two', rollout: { temperature: 'hot' } }), says: ['rounds: Invalid input: expected number, received string', 'rollout.temperature: Invalid input: expected number, received string'] },
  { name: 'unknown keys', text: json({ name: 'keys', bogus: 1, rollout: { speed: 3 } }), says: ['(root): Unrecognized key: "bogus"', 'rollout: Unrecognized key: "speed"'] },
  { name: 'out-of-range numbers', text: json({ name: 'range', rounds: 0, rollout: { concurrency: 65, failureBudget: 1.5 }, gate: { confidence: 2 } }), says: ['rounds: Too small', 'rollout.concurrency: Too big', 'rollout.failureBudget: Too big', 'gate.confidence: Too big'] },
  { name: 'a site key that is not a placeholder', text: json({ name: 'sites', sites: { shop: 'http://127.0.0.1:7770', __REDDIT__: 'reddit' } }), says: ['sites.shop: invalid key: a site placeholder such as __SHOPPING__', 'sites.__REDDIT__: not a URL'] },
  { name: 'an endpoint without its model', text: json({ name: 'endpoint', model: { baseUrl: 'http://127.0.0.1:8000/v1' } }), says: ['model.model: Invalid input: expected string'] },
];

// Rows whose suite file is written next to the spec; `says` must name the suite file too.
const RUN_SUITES: Array<{ name: string; suite: string | null; spec: Record<string, unknown>; says: string[] }> = [
  { name: 'a suite file that does not exist', suite: null, spec: {}, says: ['cannot read', 'ENOENT'] },
  { name: 'a task whose start URL names an unknown placeholder', suite: json([task({ start_url: '__SHOPING__/product/1' })]), spec: {}, says: ['task 1 start_url: placeholder __SHOPING__ is not one of the run\'s sites (__SHOPPING__, __SHOPPING_ADMIN__, __REDDIT__)'] },
  { name: 'a task on a site the spec does not map', suite: json([task({ sites: ['gitlab'], start_url: '__GITLAB__/' })]), spec: { sites: { __SHOPPING__: 'http://127.0.0.1:7770' } }, says: ['task 1 sites: site "gitlab" has no URL in', 'add __GITLAB__ or leave the task out'] },
  { name: 'a reference URL with an unknown placeholder', suite: json([task({ eval: { eval_types: ['url_match'], reference_answers: null, reference_url: '__SHOP__/cart', program_html: [] } })]), spec: {}, says: ['task 1 eval.reference_url: placeholder __SHOP__ is not one of the run\'s sites'] },
];

const TASK_FILES: Array<{ name: string; text: string; says: string[] }> = [
  { name: 'truncated JSON', text: json([task()]).slice(0, 200), says: ['not valid JSON at line'] },
  { name: 'an empty file', text: '', says: ['not valid JSON: the file is empty'] },
  { name: 'a task missing eval', text: json([withoutEval()]), says: ['task 1 eval: Invalid input: expected object, received undefined'] },
  { name: 'an unknown eval type', text: json([task({ eval: { eval_types: ['string_match', 'vibes'], reference_answers: { exact_match: 'x' }, reference_url: '', program_html: [] } })]), says: ['task 1 eval.eval_types.1: Invalid option: expected one of "string_match"|"url_match"|"program_html"'] },
  { name: 'eval types that are not a list', text: json([task({ eval: { eval_types: 'string_match', reference_answers: { exact_match: 'x' }, reference_url: '', program_html: [] } })]), says: ['task 1 eval.eval_types: Invalid input: expected array, received string'] },
  { name: 'url_match without a reference URL', text: json([task({ eval: { eval_types: ['url_match'], reference_answers: null, reference_url: '', program_html: [] } })]), says: ['task 1 eval.reference_url: url_match needs a non-empty reference_url'] },
  { name: 'duplicate task ids', text: json([task(), task({ intent: 'again' })]), says: ['task 1 task_id: duplicate task_id'] },
  { name: 'a task without an id', text: json([task({ task_id: undefined })]), says: ['[0].task_id: Invalid input: expected number, received undefined'] },
  { name: 'not a task at all', text: '"hello"', says: ['expected object, received string'] },
];

const MIXTURE_SPECS: Array<{ name: string; value: unknown; says: string[] }> = [
  { name: 'not an object', value: 'B', says: ['(root): Invalid input: expected object, received string'] },
  { name: 'no sources', value: { seed: 1 }, says: ['sources: Invalid input: expected array, received undefined'] },
  { name: 'an unknown source kind', value: { seed: 1, sources: [{ id: 'mine', kind: 'magic', size: { all: true } }] }, says: ['sources.0.kind: Invalid discriminator value'] },
  { name: 'a size of no known form', value: { seed: 1, sources: [{ id: 'mine', kind: 'in_domain', size: { some: 3 } }] }, says: ['sources.0.size: Unrecognized key: "some"'] },
  { name: 'a negative count', value: { seed: 1, sources: [{ id: 'mine', kind: 'in_domain', size: { count: -1 } }] }, says: ['sources.0.size.count: Too small'] },
  { name: 'a ratio of a source that does not exist', value: { seed: 1, sources: [{ id: 'mine', kind: 'ood', size: { ratio: 1, of: 'theirs' } }] }, says: ['sources.0.size.of: no source with id "theirs"'] },
  { name: 'unknown keys and a fractional seed', value: { seed: 1.5, extra: true, sources: [{ id: 'mine', kind: 'ood', size: { all: true }, rounds: 'all' }] }, says: ['seed: Invalid input: expected int', 'sources.0: Unrecognized key: "rounds"', '(root): Unrecognized key: "extra"'] },
];

const GOOD_LINE = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] });
const JSONL_FILES: Array<{ name: string; text: string; says: string[] }> = [
  { name: 'a line that is not JSON', text: `${GOOD_LINE}\n{"messages": [\n`, says: ['train.jsonl line 2: not valid JSON'] },
  { name: 'a line that is not an object', text: `${GOOD_LINE}\n${GOOD_LINE}\n[1, 2]\n`, says: ['train.jsonl line 3: Invalid input: expected object, received array'] },
  { name: 'a line without messages', text: `${GOOD_LINE}\n{"prompt": "hi"}\n`, says: ['train.jsonl line 2 messages: Invalid input: expected array, received undefined', 'train.jsonl line 2: Unrecognized key: "prompt"'] },
  { name: 'a line that ends on a user turn', text: `${JSON.stringify({ messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] })}\n`, says: ['train.jsonl line 1 messages.1.role: the last message must be the assistant reply to train on'] },
  { name: 'an unknown role and a numeric content', text: `${GOOD_LINE}\n\n${JSON.stringify({ messages: [{ role: 'robot', content: 'a' }, { role: 'assistant', content: 5 }] })}\n`, says: ['train.jsonl line 3 messages.0.role: Invalid option', 'train.jsonl line 3 messages.1.content: Invalid input: expected string, received number'] },
  { name: 'only blank lines', text: '\n\n', says: ['train.jsonl line 1: the file has no examples'] },
];

// The local model server reads uploaded training files when a fine-tuning job starts; the job fails with this message.
const TRAINING_FILES: Array<{ name: string; text: string; says: string }> = [
  { name: 'a line that is not JSON', text: `${GOOD_LINE}\n{"messages": [\n`, says: 'file file-abc line 2: not valid JSON: ' },
  { name: 'a line that is not an object', text: `${GOOD_LINE}\n[1]\n`, says: 'file file-abc line 2: Invalid input: expected object, received array' },
  { name: 'a line without messages', text: `${GOOD_LINE}\n{"prompt": "hi"}\n`, says: 'file file-abc line 2: messages: Invalid input: expected array, received undefined; Unrecognized key: "prompt"' },
  { name: 'no examples', text: '\n', says: 'file file-abc: no training examples' },
];

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: ReturnType<typeof openDatabase>;
const KEPT_RUN = { id: 'kept-run-1', spec: { name: 'kept', rounds: 1 }, specHash: 'hash-of-kept', gitRevision: null };

beforeAll(async () => {
  database = await createTestDatabase();
  db = openDatabase(database.url, { max: 2 });
  await insertRun(db, KEPT_RUN);
});

afterAll(async () => {
  await db?.end();
  await database?.drop();
});

/** `ratchet run --spec <file>` against the test database and a data folder that must never appear. */
function runSpecFile(specPath: string) {
  const dataDir = join(folder, `data-${Math.random().toString(36).slice(2)}`);
  const result = runCli(['run', '--spec', specPath], { env: { DATABASE_URL: database.url, RATCHET_DATA_DIR: dataDir } });
  return { ...result, dataDirCreated: existsSync(dataDir) };
}

async function expectStoredRunsUntouched(): Promise<void> {
  const runs = await listRuns(db);
  expect(runs.map((run) => [run.id, run.spec_hash])).toEqual([[KEPT_RUN.id, KEPT_RUN.specHash]]);
}

describe('a malformed run spec', () => {
  it.each(RUN_SPECS)('$name: exits 1 naming the file and each bad key, and starts nothing', async ({ name, text, says }) => {
    const spec = write(`${name.replace(/\W+/g, '-')}.json`, text);
    const result = runSpecFile(spec);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`ratchet: ${spec}: invalid run spec:`);
    for (const phrase of says) expect(result.stderr).toContain(phrase);
    expect(result.dataDirCreated).toBe(false);
    await expectStoredRunsUntouched();
  });

  it('a spec file that does not exist: exits 1 naming it', async () => {
    const missing = join(folder, 'no-such-spec.json');
    const result = runSpecFile(missing);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${missing}: invalid run spec:`);
    expect(result.stderr).toContain('cannot read the file: ENOENT');
    await expectStoredRunsUntouched();
  });

  it.each(RUN_SUITES)('$name: exits 1 naming the suite file, task and field before anything starts', async ({ name, suite, spec, says }) => {
    const slug = name.replace(/\W+/g, '-');
    const suitePath = suite === null ? join(folder, `${slug}-missing-tasks.json`) : write(`${slug}-tasks.json`, suite);
    const specPath = write(`${slug}-spec.json`, json({ name: 'suite-check', suite: { path: suitePath }, ...spec }));
    const result = runSpecFile(specPath);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`invalid task suite ${suitePath} (suite.path of ${specPath})`);
    for (const phrase of says) expect(result.stderr).toContain(phrase);
    expect(result.dataDirCreated).toBe(false);
    await expectStoredRunsUntouched();
  });
});

describe('a malformed task file', () => {
  it.each(TASK_FILES)('$name: `tasks validate` exits 1 naming the file, task and field', ({ name, text, says }) => {
    const file = write(`tasks-${name.replace(/\W+/g, '-')}.json`, text);
    const result = runCli(['tasks', 'validate', file]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    for (const phrase of says) expect(result.stderr).toContain(phrase);
    expect(result.stderr).toContain(`ratchet tasks validate: ${file}: `);
    for (const line of result.stderr.trim().split('\n')) expect(line.startsWith(file) || line.startsWith('ratchet tasks validate:')).toBe(true);
  });
});

describe('a malformed mixture spec', () => {
  it.each(MIXTURE_SPECS)('$name: MixtureSpecError naming the source and each bad key', ({ value, says }) => {
    let error: unknown;
    try {
      parseMixtureSpec(value, 'mixtures/mine.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MixtureSpecError);
    const message = (error as MixtureSpecError).message;
    expect(message.startsWith('mixtures/mine.json: invalid mixture spec:')).toBe(true);
    for (const phrase of says) expect(message).toContain(phrase);
    expect(message).not.toMatch(/: Invalid input$/m);
  });
});

describe('malformed chat JSONL', () => {
  it.each(JSONL_FILES)('$name: ChatJsonlError naming the file, line and field', ({ text, says }) => {
    let error: unknown;
    try {
      parseChatJsonl(text, 'train.jsonl');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ChatJsonlError);
    const message = (error as ChatJsonlError).message;
    expect(message).toMatch(/^invalid chat fine-tuning JSONL train\.jsonl: \d+ problems?\n/);
    for (const phrase of says) expect(message).toContain(phrase);
  });
});

describe('a malformed training file uploaded to the local model server', () => {
  it.each(TRAINING_FILES)('$name: the error names the file id, line and field', ({ text, says }) => {
    expect(() => readTrainingFile(text, 'file-abc')).toThrow(says);
  });
});

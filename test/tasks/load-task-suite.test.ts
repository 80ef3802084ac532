import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTaskSuite } from '../../src/tasks/load-task-suite';
import { formatTaskProblem, TaskFileError } from '../../src/tasks/task-file-error';
import { isUnachievableTask } from '../../src/tasks/task-config';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'tasks');
const WEBARENA_FILE = join(import.meta.dirname, '..', '..', '..', 'shared', 'webarena', 'test.raw.json');

async function problemsOf(path: string): Promise<string[]> {
  try {
    await loadTaskSuite(path);
  } catch (error) {
    if (error instanceof TaskFileError) return error.problems.map(formatTaskProblem);
    throw error;
  }
  throw new Error(`${path} loaded without problems`);
}

describe('loadTaskSuite', () => {
  it('validates all 812 tasks of WebArena test.raw.json unchanged', async () => {
    const suite = await loadTaskSuite(WEBARENA_FILE);
    expect(suite.tasks).toHaveLength(812);
    expect(new Set(suite.tasks.map((task) => task.intent_template_id)).size).toBe(190);
    expect(suite.tasks.filter(isUnachievableTask)).toHaveLength(36);
    expect(suite.tasks.filter((task) => task.eval.reference_url === null).map((task) => task.task_id)).toEqual([118, 356, 369, 370, 371, 372, 373]);
    expect(suite.tasks.find((task) => task.task_id === 723)?.string_note).toBe('FTorrez81 has no submissions in subreddit iphone13');
    expect(suite.splits).toBeNull();
  });

  it('replaces placeholders as plain text in every string after validation', async () => {
    const suite = await loadTaskSuite(WEBARENA_FILE, { placeholders: { __REDDIT__: 'http://127.0.0.1:9999', __GITLAB__: 'http://127.0.0.1:8023' } });
    const task = suite.tasks.find((candidate) => candidate.task_id === 615);
    expect(task?.start_url.startsWith('http://127.0.0.1:9999')).toBe(true);
    expect(JSON.stringify(suite.tasks)).not.toContain('__REDDIT__');
    expect(JSON.stringify(suite.tasks)).toContain('__SHOPPING__');
  });

  it('loads every field variant: stray string_note, prep_actions, func urls and locators, null reference_url, multi-key answers', async () => {
    const suite = await loadTaskSuite(join(FIXTURES, 'variants.json'));
    expect(suite.name).toBe('variants');
    expect(suite.tasks.map((task) => task.task_id)).toEqual([1, 2, 3, 4, 5, 6]);
    const programTask = suite.tasks[3];
    expect(programTask?.eval.program_html[0]?.prep_actions).toHaveLength(1);
    expect(programTask?.eval.reference_url).toBeNull();
    expect(suite.tasks[4]?.eval.reference_answers).toEqual({ must_include: ['Acadia'], fuzzy_match: ['1h 23min'] });
    expect(suite.tasks[5]?.string_note).toBe('a stray top-level note');
  });

  it('loads a single-task file, a folder of per-task files and a suite folder with splits', async () => {
    const single = await loadTaskSuite(join(FIXTURES, 'single-task.json'));
    expect(single.tasks.map((task) => task.task_id)).toEqual([1]);
    const folder = await loadTaskSuite(join(FIXTURES, 'per-task'));
    expect(folder.tasks.map((task) => task.task_id)).toEqual([1, 2, 3]);
    expect(folder.splits).toBeNull();
    const suite = await loadTaskSuite(join(FIXTURES, 'suite'));
    expect(suite.name).toBe('fixture-suite');
    expect(suite.splits).toEqual({ train: [10, 11], eval: [12, 13] });
  });

  it('lists every problem of a bad file with its task id and field path', async () => {
    const file = join(FIXTURES, 'bad-tasks.json');
    const problems = await problemsOf(file);
    expect(problems).toContain(`${file} task 21 eval.url_note: Invalid input: expected "GOLD in PRED"`);
    expect(problems).toContain(`${file} task 22 eval.program_html.0.required_contents: needs exactly one of exact_match, must_include`);
    expect(problems.some((line) => line.startsWith(`${file} task 23 eval.eval_types.1:`))).toBe(true);
    expect(problems.some((line) => line.startsWith(`${file} task 21 task_id: duplicate task_id`))).toBe(true);
    expect(problems.some((line) => line.startsWith(`${file} task 24 intent:`))).toBe(true);
    expect(problems.some((line) => line.startsWith(`${file} task 24 eval.program_html.0.url: func expression`))).toBe(true);
    expect(problems.some((line) => line.startsWith(`${file} task 24 eval.program_html.0.locator:`))).toBe(true);
    expect(problems.some((line) => line.startsWith(`${file} [5].task_id:`))).toBe(true);
  });

  it('reports splits that name unknown templates or put one template in both pools', async () => {
    const manifest = join(FIXTURES, 'bad-suite', 'suite.json');
    expect(await problemsOf(join(FIXTURES, 'bad-suite'))).toEqual([
      `${manifest} splits.train: intent_template_id 99 has no task in the suite`,
      `${manifest} splits.eval: intent_template_id 10 is in both train and eval`,
    ]);
  });

  it('reports unreadable paths and invalid JSON as problems naming the file', async () => {
    const missing = join(FIXTURES, 'no-such-file.json');
    expect((await problemsOf(missing))[0]).toMatch(new RegExp(`^${missing}: cannot read`));
    const notJson = join(FIXTURES, '..', '..', 'tasks', 'load-task-suite.test.ts');
    expect((await problemsOf(notJson))[0]).toMatch(/: not valid JSON/);
  });
});

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'tasks');
const WEBARENA_FILE = join(ROOT, '..', 'shared', 'webarena', 'test.raw.json');
const METADATA = join(ROOT, '..', 'shared', 'webarena', 'browsergym_webarena_metadata.csv');

async function ratchet(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [join(ROOT, 'bin', 'ratchet.mjs'), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('ratchet tasks validate', () => {
  it('prints the counts of the real 812-task file as JSON and exits 0', async () => {
    const result = await ratchet('tasks', 'validate', WEBARENA_FILE, '--metadata', METADATA);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      tasks: 812,
      intentTemplateIds: 190,
      perEvalType: { string_match: 335, url_match: 205, program_html: 411 },
      perSite: { shopping: 192, shopping_admin: 184, reddit: 129, gitlab: 204, map: 128, wikipedia: 23 },
      unachievable: 36,
      splits: null,
      browserGymSplits: { trainTasks: 431, evalTasks: 381, unknownTaskIds: [] },
    });
  });

  it('lists every problem with task id and field on stderr and exits 1', async () => {
    const file = join(FIXTURES, 'bad-tasks.json');
    const result = await ratchet('tasks', 'validate', file);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file} task 21 eval.url_note:`);
    expect(result.stderr).toContain(`${file} task 22 eval.program_html.0.required_contents:`);
    expect(result.stderr).toContain('19 problems');
  });
});

describe('ratchet tasks score', () => {
  it('scores a string_match answer without a browser', async () => {
    const good = await ratchet('tasks', 'score', '--config', join(FIXTURES, 'single-task.json'), '--answer', 'There are 2 reviews');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ score: 1, evaluatorVersion: 'webarena-compat-1', evaluators: [{ type: 'string_match', score: 1 }] });
    const bad = await ratchet('tasks', 'score', '--config', join(FIXTURES, 'single-task.json'), '--answer', '$2.00');
    expect(JSON.parse(bad.stdout)).toMatchObject({ score: 0 });
  });

  it('loads --page-html at --url in Chromium for url_match and program_html', async () => {
    const args = ['tasks', 'score', '--config', join(FIXTURES, 'score-task.json'), '--page-html', join(FIXTURES, 'final-page.html'), '--placeholders', '{"__SHOP__":"http://shop.invalid"}'];
    const good = await ratchet(...args, '--url', 'http://shop.invalid/sales/order/view/order_id/7');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ score: 1, evaluators: [{ type: 'url_match', score: 1 }, { type: 'program_html', score: 1 }] });
    const wrongUrl = await ratchet(...args, '--url', 'http://shop.invalid/sales/order/view/order_id/8');
    expect(JSON.parse(wrongUrl.stdout)).toMatchObject({ score: 0, evaluators: [{ type: 'url_match', score: 0 }, { type: 'program_html', score: 1 }] });
  });

  it('exits 1 naming the input when a task needs a URL or the placeholders are not JSON', async () => {
    const noUrl = await ratchet('tasks', 'score', '--config', join(FIXTURES, 'score-task.json'));
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toContain('task 40 uses url_match: give the final URL with --url');
    const badJson = await ratchet('tasks', 'score', '--config', join(FIXTURES, 'single-task.json'), '--placeholders', '{oops');
    expect(badJson.code).toBe(1);
    expect(badJson.stderr).toContain('--placeholders {oops: not JSON');
  });
});

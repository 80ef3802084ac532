import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Browser, Page } from 'playwright-core';
import { z } from 'zod';
import { browserGymTaskSplits, readBrowserGymMetadata } from '../tasks/browsergym-metadata';
import { loadTaskSuite } from '../tasks/load-task-suite';
import { summarizeTaskSuite } from '../tasks/summarize-task-suite';
import type { TaskConfig } from '../tasks/task-config';
import { formatTaskProblem, TaskFileError } from '../tasks/task-file-error';

const placeholdersSchema = z.record(z.string().min(1), z.string());
const modeSchema = z.enum(['webarena', 'ratchet']);

interface ValidateOptions {
  metadata?: string;
}

interface ScoreOptions {
  config: string;
  taskId?: string;
  answer?: string;
  url?: string;
  pageHtml?: string;
  judgeBaseUrl?: string;
  judgeModel?: string;
  judgeApiKeyEnv?: string;
  placeholders?: string;
  mode: string;
}

function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function parsePlaceholders(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`--placeholders ${text}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = placeholdersSchema.safeParse(value);
  if (!parsed.success) throw new Error(`--placeholders ${text}: expected an object of placeholder -> URL strings`);
  return parsed.data;
}

async function validateCommand(path: string, options: ValidateOptions): Promise<void> {
  const started = performance.now();
  try {
    const suite = await loadTaskSuite(path);
    const summary: Record<string, unknown> = { ...summarizeTaskSuite(suite) };
    if (options.metadata) {
      const metadata = await readBrowserGymMetadata(options.metadata);
      const known = new Set(suite.tasks.map((task) => task.task_id));
      const splits = browserGymTaskSplits(metadata);
      summary.browserGymSplits = {
        trainTasks: splits.train.length,
        evalTasks: splits.eval.length,
        unknownTaskIds: metadata.map((row) => row.taskId).filter((id) => !known.has(id)),
      };
    }
    summary.elapsedMs = Math.round(performance.now() - started);
    writeJson(summary);
  } catch (error) {
    if (!(error instanceof TaskFileError)) throw error;
    for (const problem of error.problems) process.stderr.write(`${formatTaskProblem(problem)}\n`);
    process.stderr.write(`ratchet tasks validate: ${path}: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}\n`);
    process.exitCode = 1;
  }
}

function pickTask(tasks: TaskConfig[], config: string, taskId: string | undefined): TaskConfig {
  if (taskId !== undefined) {
    const task = tasks.find((candidate) => String(candidate.task_id) === taskId);
    if (!task) throw new Error(`--task-id ${taskId}: no such task in ${config}`);
    return task;
  }
  const [only] = tasks;
  if (tasks.length !== 1 || !only) throw new Error(`--config ${config}: holds ${tasks.length} tasks; choose one with --task-id`);
  return only;
}

/** Opens the final page: the given HTML served at --url (or set directly), or --url itself, or a blank page. */
async function openFinalPage(browser: Browser, options: ScoreOptions): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  if (options.pageHtml !== undefined) {
    const html = await readFile(options.pageHtml, 'utf8').catch((error: unknown) => {
      throw new Error(`--page-html ${options.pageHtml}: cannot read (${error instanceof Error ? error.message : String(error)})`);
    });
    if (options.url === undefined) {
      await page.setContent(html);
      return page;
    }
    // Serve the file as the response to the first navigation only; later target URLs load for real.
    let served = false;
    await page.route('**/*', async (route) => {
      if (!served && route.request().isNavigationRequest()) {
        served = true;
        await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      } else {
        await route.fallback();
      }
    });
    await page.goto(options.url);
    return page;
  }
  if (options.url !== undefined) {
    await page.goto(options.url).catch((error: unknown) => {
      throw new Error(`--url ${options.url}: cannot open (${error instanceof Error ? error.message : String(error)})`);
    });
  }
  return page;
}

async function scoreCommand(options: ScoreOptions): Promise<void> {
  // Loaded here so that `tasks validate` starts without the browser, model client and evaluators.
  const [{ createModelJudge }, { scoreTask }, { launchChromium }, { builtinFuncHelpers }] = await Promise.all([
    import('../evaluators/llm-judge'),
    import('../evaluators/evaluate-task'),
    import('../stack/toolchain'),
    import('../sites/func-helpers'),
  ]);
  const mode = modeSchema.safeParse(options.mode);
  if (!mode.success) throw new Error(`--mode ${options.mode}: expected webarena or ratchet`);
  const placeholders = parsePlaceholders(options.placeholders);
  const suite = await loadTaskSuite(options.config, { placeholders }).catch((error: unknown) => {
    if (error instanceof TaskFileError) throw new Error(`--config ${options.config}:\n${error.problems.map(formatTaskProblem).join('\n')}`);
    throw error;
  });
  const task = pickTask(suite.tasks, options.config, options.taskId);
  if ((options.judgeBaseUrl === undefined) !== (options.judgeModel === undefined)) {
    throw new Error('--judge-base-url and --judge-model go together');
  }
  const judge = options.judgeBaseUrl && options.judgeModel
    ? createModelJudge({ baseUrl: options.judgeBaseUrl, model: options.judgeModel, apiKeyEnv: options.judgeApiKeyEnv })
    : undefined;
  if (task.eval.eval_types.includes('url_match') && options.url === undefined) throw new Error(`task ${task.task_id} uses url_match: give the final URL with --url`);
  const needsPage = task.eval.eval_types.includes('program_html');
  const browser = needsPage ? await launchChromium() : null;
  try {
    const page = browser ? await openFinalPage(browser, options) : null;
    const evaluation = await scoreTask({
      task,
      answer: options.answer ?? '',
      finalUrl: page ? page.url() : (options.url ?? ''),
      page,
      judge,
      funcHelpers: builtinFuncHelpers,
      siteUrls: placeholders,
      mode: mode.data,
    });
    writeJson(evaluation);
  } finally {
    await browser?.close();
  }
}

/** `tasks validate` and `tasks score`: check task files and score one task from the command line. */
export function registerTasksCommand(program: Command): void {
  const tasks = program.command('tasks').description('WebArena-format task files: validate them, score one task');
  tasks
    .command('validate <path>')
    .description('validate a task file, folder or suite folder; prints counts as JSON, or every problem on stderr')
    .option('--metadata <csv>', "BrowserGym's WebArena metadata CSV, to report its train/test split")
    .action(validateCommand);
  tasks
    .command('score')
    .description("run one task's evaluators on an answer, a final URL and/or a final page")
    .requiredOption('--config <path>', 'task file (a single task, or an array with --task-id)')
    .option('--task-id <id>', 'which task of the file')
    .option('--answer <text>', "the agent's final answer", '')
    .option('--url <url>', 'the final URL (with --page-html, the URL the HTML is served at)')
    .option('--page-html <file>', 'HTML of the final page, loaded in Chromium for program_html')
    .option('--judge-base-url <url>', 'OpenAI-compatible endpoint of the judge model')
    .option('--judge-model <model>', 'judge model id')
    .option('--judge-api-key-env <name>', 'environment variable holding the judge API key')
    .option('--placeholders <json>', 'placeholder -> base URL, e.g. {"__SHOPPING__":"http://127.0.0.1:7770"}')
    .option('--mode <mode>', 'webarena (bug-for-bug) or ratchet (quirks fixed)', 'webarena')
    .action(scoreCommand);
}

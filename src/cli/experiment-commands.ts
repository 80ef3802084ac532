import type { Command } from 'commander';
import { readEnv } from '../config/env';

function positiveInteger(flag: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${flag} must be a positive integer, got '${value}'`);
  return parsed;
}

/** `experiment` (the paper's mixture comparison as one run) and `compare` (any two evaluated models). */
export function registerExperimentCommands(program: Command): void {
  program
    .command('experiment')
    .description('roll out the base model once, train one model per mixture, evaluate each and compare it with the base model')
    .option('--mixtures <list>', 'comma-separated mixtures to train (A = in-domain, B = in-domain + OOD, C = OOD only)', 'A,B,C')
    .option('--spec <file>', 'a run spec for endpoints, sites and suite (default: the built-in demo stack)')
    .option('--run-id <id>', 'experiment id (default: <name>-experiment-<timestamp>)')
    .option('--exit-when-done', 'stop the stack and exit when the experiment finishes (the default when CI=true)')
    .action(async (options: { mixtures: string; spec?: string; runId?: string; exitWhenDone?: boolean }) => {
      // Every input is checked before anything starts.
      const { parseMixtureList, newExperimentId, launchExperiment } = await import('../runs/launch-experiment');
      const mixtures = parseMixtureList(options.mixtures);
      const { loadRunSpec } = await import('../config/run-spec');
      const { demoRunSpec } = await import('../config/demo-spec');
      // Without a spec: the demo's stack and suite under its own name, so `npm start` never takes an
      // interrupted experiment for its demo run (it resumes a running run with the same spec).
      const spec = options.spec ? loadRunSpec(options.spec) : { ...demoRunSpec(), name: 'experiment' };
      const { runWithStack } = await import('./stack-commands');
      const { watchExperiment } = await import('../runs/watch-experiment');
      const { reportDataSchema } = await import('../report/report-data');
      const { formatEvaluationTable } = await import('../report/format-evaluation-table');
      const { formatExperimentTable } = await import('../report/format-experiment-table');
      await runWithStack(spec, {
        exitWhenDone: options.exitWhenDone ?? process.env.CI === 'true',
        runId: options.runId ?? newExperimentId(spec),
        workflow: {
          start: async (client, db, runId) => {
            await launchExperiment({ client, db, spec, runId, mixtures });
          },
          watch: (client, runId, print) => watchExperiment(client, runId, mixtures, print),
          summarize: (report) => {
            const data = reportDataSchema.parse(report);
            return data.experiment ? `${formatEvaluationTable(data)}\n\n${formatExperimentTable(data.experiment)}` : formatEvaluationTable(data);
          },
        },
      });
    });

  program
    .command('compare <evaluationA> <evaluationB>')
    .description('compare two evaluated models (B against A) on the tasks both scored; give evaluation ids or <run>:<label>')
    .option('--json', 'print the comparison as JSON')
    .option('--seed <n>', 'bootstrap seed', '0')
    .option('--resamples <n>', 'bootstrap resamples', '2000')
    .action(async (handleA: string, handleB: string, options: { json?: boolean; seed: string; resamples: string }) => {
      const seed = Number(options.seed);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got '${options.seed}'`);
      const resamples = positiveInteger('--resamples', options.resamples);
      const { findRunningDatabase } = await import('../stack/postgres');
      const { openDatabase } = await import('../storage/database');
      const { compareStoredEvaluations } = await import('../report/compare-stored-evaluations');
      const { formatEvaluationComparison } = await import('../report/format-evaluation-comparison');
      const db = openDatabase(await findRunningDatabase(readEnv().DATABASE_URL), { max: 2 });
      try {
        const compared = await compareStoredEvaluations(db, handleA, handleB, { seed, resamples });
        if (options.json) return void process.stdout.write(`${JSON.stringify(compared, null, 2)}\n`);
        const name = (side: { id: string; label: string }) => `${side.label} (${side.id})`;
        process.stdout.write(`${formatEvaluationComparison(compared.comparison, { baseline: name(compared.baseline), candidate: name(compared.candidate) })}\n`);
      } finally {
        await db.end();
      }
    });
}

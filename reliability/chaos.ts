// `npm run reliability:chaos`: a run on the built-in suite, undisturbed and then while worker
// processes are SIGKILLed and Temporal and PostgreSQL restarted; checks that nothing was lost or
// duplicated and that the final metrics are equal; prints a table and writes
// reliability/results/chaos.json and chaos.md. Exits 1 when a check failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { PROJECT_ROOT } from '../src/stack/toolchain';
import { runChaosExperiment, stopChaosProcesses } from './chaos/chaos-experiment';
import { formatChaosMarkdown, formatChaosTable } from './chaos/chaos-report';

function integerAtLeast(minimum: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) throw new InvalidArgumentError(`must be an integer >= ${minimum}, got '${text}'`);
    return value;
  };
}

const program = new Command('reliability:chaos')
  .description('a run under worker SIGKILLs and Temporal/PostgreSQL restarts, compared with the same run undisturbed')
  .option('--tasks <n>', 'tasks per split of the built-in suite', integerAtLeast(1), 6)
  .option('--rounds <n>', 'improvement rounds', integerAtLeast(1), 1)
  .option('--kills <n>', 'SIGKILLs of a randomly chosen worker process', integerAtLeast(0), 10)
  .option('--temporal-restarts <n>', 'Temporal dev server restarts', integerAtLeast(0), 2)
  .option('--postgres-restarts <n>', 'PostgreSQL restarts', integerAtLeast(0), 1)
  .option('--postgres-outage-seconds <n>', 'how long PostgreSQL stays down at each restart', integerAtLeast(0), 30)
  .option('--seed <n>', 'the run spec seed (the same for both runs)', integerAtLeast(0), 3)
  .option('--chaos-seed <n>', 'seed of the fault plan (default: from the clock, printed)', integerAtLeast(0))
  .option('--concurrency <n>', 'episodes at once per rollout', integerAtLeast(1), 2)
  .option('--browser-contexts <n>', 'browser contexts of the browser worker process', integerAtLeast(1), 2)
  .option('--max-steps <n>', 'steps per episode', integerAtLeast(1), 8)
  .option('--timeout-minutes <n>', 'give up on a run after this long', integerAtLeast(1), 60)
  .option('--keep', 'keep the work folder (logs, Temporal history, database) afterwards')
  .option('--out <dir>', 'where chaos.json and chaos.md go', join(PROJECT_ROOT, 'reliability', 'results'));
program.parse();
const flags = program.opts<{
  tasks: number; rounds: number; kills: number; temporalRestarts: number; postgresRestarts: number; postgresOutageSeconds: number; seed: number; chaosSeed?: number;
  concurrency: number; browserContexts: number; maxSteps: number; timeoutMinutes: number; keep?: boolean; out: string;
}>();

const started = Date.now();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`${signal}: stopping the chaos stacks\n`);
    void stopChaosProcesses().finally(() => process.exit(130));
  });
}
const say = (line: string) => process.stderr.write(`${String(Math.round((Date.now() - started) / 1000)).padStart(5)}s ${line}\n`);
const report = await runChaosExperiment({
  tasks: flags.tasks,
  rounds: flags.rounds,
  workerKills: flags.kills,
  temporalRestarts: flags.temporalRestarts,
  postgresRestarts: flags.postgresRestarts,
  postgresOutageSeconds: flags.postgresOutageSeconds,
  specSeed: flags.seed,
  chaosSeed: flags.chaosSeed ?? Date.now() % 2_147_483_647,
  browserContexts: flags.browserContexts,
  concurrency: flags.concurrency,
  maxSteps: flags.maxSteps,
  runTimeoutMs: flags.timeoutMinutes * 60_000,
  keepWorkDir: flags.keep ?? false,
  log: say,
});
mkdirSync(flags.out, { recursive: true });
writeFileSync(join(flags.out, 'chaos.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(flags.out, 'chaos.md'), formatChaosMarkdown(report));
process.stdout.write(`${formatChaosTable(report)}\n`);
say(`wrote ${join(flags.out, 'chaos.json')} and chaos.md`);
process.exit(report.passed ? 0 : 1);

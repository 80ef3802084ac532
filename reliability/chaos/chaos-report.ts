// The chaos experiment's figures as a terminal table and as the markdown section of docs/reliability.md.
import type { TaskQueueKind } from '../../src/workflows/definitions';
import { ALL_WORKER_QUEUES, type ChaosReport } from './chaos-experiment';

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** The headline figures as [label, value] rows. */
export function chaosFigureRows(report: ChaosReport): Array<[string, string]> {
  const { faultsInjectedByKind: injected, chaos, undisturbed, comparison } = report;
  const totalInjected = injected['worker-sigkill'] + injected['temporal-restart'] + injected['postgres-restart'];
  return [
    ['faults injected', `${totalInjected} (worker SIGKILLs ${injected['worker-sigkill']}, Temporal restarts ${injected['temporal-restart']}, PostgreSQL restarts ${injected['postgres-restart']})`],
    ['faults survived', `${report.faultsSurvived} of ${totalInjected}`],
    ['run completed (undisturbed / chaos)', `${yesNo(undisturbed.completed)} / ${yesNo(chaos.completed)}`],
    ['items lost (episodes missing, unfinished or duplicated)', String(report.itemsLost)],
    ['duplicated episode rows', String(chaos.integrity.duplicatedEpisodes.length)],
    ['duplicated step rows', String(chaos.integrity.duplicatedSteps.length)],
    ['orphaned step rows', String(chaos.integrity.orphanedSteps.length)],
    ['episodes with missing steps', String(chaos.integrity.episodesWithMissingSteps.length)],
    ['steps waiting for an operator', String(chaos.operatorWaits.length)],
    ['worker processes that died on their own', String(chaos.unexpectedWorkerExits.length)],
    ['episodes (undisturbed / chaos)', `${undisturbed.episodes} / ${chaos.episodes}`],
    ['step rows (undisturbed / chaos)', `${undisturbed.stepRows} / ${chaos.stepRows}`],
    ['episode outcomes that differ', String(comparison.differentOutcomes.length)],
    ['trajectories that differ', String(comparison.differentTrajectories.length)],
    ['final metrics equal', `${yesNo(report.metricsEqual)} (${comparison.metricsCompared} metric values compared, ${comparison.differentMetrics.length} differ)`],
    ['wall time (undisturbed / chaos)', `${undisturbed.wallSeconds} s / ${chaos.wallSeconds} s`],
    ['machine', `${report.machine.cores} cores, load average ${report.machine.loadAverageAtStart.join(' ')} at start, ${report.machine.loadAverageAtEnd.join(' ')} at end`],
  ];
}

function memoryRows(report: ChaosReport): Array<[TaskQueueKind, string, string]> {
  return ALL_WORKER_QUEUES.map((queue) => {
    const quiet = report.undisturbed.workerMemory[queue];
    const disturbed = report.chaos.workerMemory[queue];
    const show = (peak: typeof quiet) => (peak ? `${peak.processRssMiB} MiB (${peak.withChildrenMiB} MiB with children)` : 'not measured');
    return [queue, show(quiet), show(disturbed)];
  });
}

/** A plain-text table for the terminal. */
export function formatChaosTable(report: ChaosReport): string {
  const rows = [...chaosFigureRows(report), ...memoryRows(report).map(([queue, quiet, disturbed]): [string, string] => [`peak memory ${queue} worker (undisturbed / chaos)`, `${quiet} / ${disturbed}`])];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  lines.push('', report.passed ? 'PASSED: every check held' : `FAILED:\n${report.failures.map((failure) => `  - ${failure}`).join('\n')}`);
  return lines.join('\n');
}

/** The markdown section (`## chaos`) that reliability/write-doc.ts puts into docs/reliability.md. */
export function formatChaosMarkdown(report: ChaosReport): string {
  const { options } = report;
  const lines = [
    '## chaos',
    '',
    `The same run (run id \`${report.runId}\`, spec seed ${options.specSeed}: ${options.tasks} tasks per split of the built-in suite, `
      + `${options.rounds} round(s), concurrency ${options.concurrency}) ran twice on two fresh stacks, each with one worker process per `
      + 'task queue, its own embedded PostgreSQL database and a Temporal dev server keeping its history in a file: first undisturbed, '
      + `then while ${options.workerKills} worker processes, chosen at random, were SIGKILLed at random moments and started again, `
      + `the Temporal dev server was restarted ${options.temporalRestarts} time(s) and PostgreSQL ${options.postgresRestarts} time(s), down for ${options.postgresOutageSeconds} s each time `
      + `(fault plan seed ${options.chaosSeed}). Command: \`npm run reliability:chaos -- --tasks ${options.tasks} --rounds ${options.rounds} `
      + `--kills ${options.workerKills} --temporal-restarts ${options.temporalRestarts} --postgres-restarts ${options.postgresRestarts} --postgres-outage-seconds ${options.postgresOutageSeconds} --chaos-seed ${options.chaosSeed}\`.`,
    '',
    `Result: **${report.passed ? 'passed' : 'failed'}**${report.passed ? '' : ` (${report.failures.length} check(s) failed)`}. Measured on ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, `
      + `${report.machine.cores} cores, load average ${report.machine.loadAverageAtStart[0]} at start and ${report.machine.loadAverageAtEnd[0]} at end `
      + ((report.machine.loadAverageAtStart[0] ?? 0) > report.machine.cores ? '(the machine was shared, so wall times are inflated).' : '(an idle machine).'),
    '',
    '| figure | value |',
    '| --- | --- |',
    ...chaosFigureRows(report).map(([label, value]) => `| ${label} | ${value} |`),
    '',
    'Peak memory per worker kind (the worker process\'s RSS; "with children" adds its descendants, e.g. Chromium, by PSS):',
    '',
    '| worker | undisturbed | chaos |',
    '| --- | --- | --- |',
    ...memoryRows(report).map(([queue, quiet, disturbed]) => `| ${queue} | ${quiet} | ${disturbed} |`),
    '',
    'Faults in the order injected (time since the run started; what the run was doing; time until the component served again):',
    '',
    '| at | fault | during | recovered after | operator needed |',
    '| --- | --- | --- | --- | --- |',
    ...report.faults.map((fault) => `| ${fault.injectedAtSeconds} s | ${fault.kind}${fault.queue ? ` (${fault.queue})` : ''} | ${fault.runState.replace(/\|/g, '/')} | `
      + `${fault.error ? `failed: ${fault.error}` : `${fault.recoverySeconds} s`} | ${fault.operatorWaits.length ? fault.operatorWaits.join('; ') : 'no'} |`),
  ];
  if (!report.passed) lines.push('', 'Checks that failed:', '', ...report.failures.map((failure) => `- ${failure}`));
  return `${lines.join('\n')}\n`;
}

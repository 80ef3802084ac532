// `npm run reliability:load`: 1,000 episodes queued at once through one evaluation workflow, drained
// by 4 browser contexts in a separate browser worker process, with peak memory per worker kind, the
// memory curve over the run, and the largest workflow history against Temporal's limits. Writes
// reliability/results/load.json and load.md (the section docs/reliability.md shows).
//
//   npm run reliability:load                        # 1,000 episodes, 4 contexts, maxSteps 5
//   npm run reliability:load -- --quick             # 40 episodes, the same checks
//   npm run reliability:load -- --episodes 400 --contexts 2 --max-steps 3 --samples-per-task 2
//
// Needs what `npm test` needs: PostgreSQL on 127.0.0.1:5432 (or TEST_DATABASE_SERVER_URL), the
// Temporal CLI and Chromium (`npm run setup` installs them). Everything it starts it stops, and its
// database and data folder are removed at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/stack/toolchain';
import { runLoad, TEMPORAL_HISTORY_LIMITS, type LoadResult } from './load-run';

const { values: flags } = parseArgs({
  options: {
    episodes: { type: 'string' },
    contexts: { type: 'string', default: '4' },
    'max-steps': { type: 'string', default: '5' },
    'samples-per-task': { type: 'string' },
    quick: { type: 'boolean', default: false },
    'timeout-minutes': { type: 'string', default: '180' },
  },
});

function positiveInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} ${text}: expected a positive integer`);
  return value;
}

const episodes = positiveInteger('episodes', flags.episodes) ?? (flags.quick ? 40 : 1000);
const contexts = positiveInteger('contexts', flags.contexts)!;
const maxSteps = positiveInteger('max-steps', flags['max-steps'])!;
const samplesPerTask = positiveInteger('samples-per-task', flags['samples-per-task']);
const timeoutMinutes = positiveInteger('timeout-minutes', flags['timeout-minutes'])!;

const say = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const thousands = (value: number) => value.toLocaleString('en-US');

/** The markdown section docs/reliability.md shows, written only from the result. */
function loadSection(result: LoadResult): string {
  const { setup, episodes: counts, memory, histories, machine, wallSeconds } = result;
  const kinds = ['orchestration', 'browser', 'cpu', 'llm', 'train'] as const;
  const largestEvents = histories.largestByEvents;
  const largestBytes = histories.largestByBytes;
  const lines = [
    '## load',
    '',
    `${thousands(setup.episodes)} episodes queued at once as one evaluation workflow (${setup.tasks} built-in tasks x ${setup.samplesPerTask} samples, ${setup.writingTasks} of the tasks write to a site and so have it to themselves), rollout concurrency ${setup.rolloutConcurrency}, one browser worker process with ${setup.contexts} browser contexts. Agent: ${setup.agent}; model: ${setup.model}; maxSteps ${setup.maxSteps} so that the run fits in well under an hour on 2 cores. Workers: ${setup.workers}. Temporal: ${setup.temporal}. /proc sampled every ${setup.sampleIntervalMs / 1000} s.`,
    '',
    `Machine: ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}. Load average at start ${machine.loadAverageAtStart.join(' / ')}, at end ${machine.loadAverageAtEnd.join(' / ')}, mean 1-min load during the run ${machine.meanLoadAverageDuringRun}${machine.meanLoadAverageDuringRun > machine.cpus ? ' (other work shared the CPUs, so times and rates are inflated)' : ''}.`,
    '',
    result.finished
      ? 'The evaluation workflow completed (rollout and metrics).'
      : `**The evaluation did not finish: ${result.problem ?? 'unknown reason'}.** ${result.rolloutCompleted ? 'Its rollout child workflow (every episode) had completed; the figures below are the rollout\'s.' : 'Its rollout did not complete either.'}`,
    '',
    '| figure | value |',
    '| --- | --- |',
    `| episodes completed / failed / lost | ${thousands(counts.completed)} / ${counts.failed} / ${counts.lost} of ${thousands(counts.expected)} |`,
    `| episodes scheduled twice / never scheduled / unexpected rows | ${counts.duplicated} / ${counts.neverScheduled} / ${counts.unexpected} |`,
    `| episodes retried by Temporal (attempt > 1) | ${counts.retried} |`,
    `| steps (mean per episode), mean score | ${thousands(counts.steps)} (${counts.meanSteps}), ${counts.meanScore ?? 'n/a'} |`,
    `| wall time: set-up / evaluation / whole script | ${wallSeconds.setUp} s / ${wallSeconds.evaluation} s (${(wallSeconds.evaluation / 60).toFixed(1)} min) / ${wallSeconds.total} s |`,
    `| episodes per minute | ${result.episodesPerMinute} |`,
    `| episodes in flight: mean / most at once (rollout concurrency ${setup.rolloutConcurrency}) | ${result.window.meanInFlight} / ${result.window.maxInFlight} |`,
    `| a writer overlapping another episode on its site | ${result.window.siteConflicts} times |`,
    ...kinds.map((kind) => `| peak RSS, ${kind} worker process | ${memory.peakWorkerRssMiB[kind]} MiB |`),
    `| peak Chromium of the browser worker (sum of PSS; sum of RSS; processes) | ${memory.peakChromiumPssMiB} MiB; ${memory.peakChromiumRssMiB} MiB; ${memory.peakChromiumProcesses} |`,
    `| peak RSS, load driver (built-in sites, local model server, client) / Temporal dev server | ${memory.peakDriverRssMiB} MiB / ${memory.peakTemporalServerRssMiB} MiB |`,
    `| largest history by events | ${largestEvents ? `${thousands(largestEvents.events)} events (\`${largestEvents.workflowType}\` ${largestEvents.workflowId}), ${(100 * largestEvents.events / TEMPORAL_HISTORY_LIMITS.events).toFixed(1)}% of ${thousands(TEMPORAL_HISTORY_LIMITS.events)}` : 'n/a'} |`,
    `| largest history by bytes | ${largestBytes ? `${(largestBytes.bytes / 1024).toFixed(0)} KiB as fetched${largestBytes.serverBytes !== null ? `, ${(largestBytes.serverBytes / 1024).toFixed(0)} KiB by the server` : ''} (\`${largestBytes.workflowType}\`), ${(100 * Math.max(largestBytes.bytes, largestBytes.serverBytes ?? 0) / TEMPORAL_HISTORY_LIMITS.bytes).toFixed(2)}% of 50 MiB` : 'n/a'} |`,
    `| rollout history per episode | ${histories.rolloutEventsPerEpisode ?? 'n/a'} events, ${histories.rolloutBytesPerEpisode ?? 'n/a'} bytes |`,
    '',
    `Memory as the episodes finished (the first sample at or after each tenth; ${memory.samples} samples in all):`,
    '',
    `| finished | after | ${kinds.join(' | ')} | Chromium PSS |`,
    `| --- | --- | ${kinds.map(() => '---').join(' | ')} | --- |`,
    ...memory.byProgress.map((point) => `| ${point.percent}% (${point.finished}) | ${point.seconds.toFixed(0)} s | ${kinds.map((kind) => `${point.workerRssMiB[kind]}`).join(' | ')} | ${point.chromiumPssMiB} |`),
    '',
    'Memory in MiB. The sliding window over the rollout\'s span, in tenths of its wall time (episodes in flight from their own start and finish times):',
    '',
    `| tenth | ${result.window.byTenth.map((point) => String(point.tenth)).join(' | ')} |`,
    `| --- | ${result.window.byTenth.map(() => '---').join(' | ')} |`,
    `| mean in flight | ${result.window.byTenth.map((point) => point.meanInFlight.toFixed(1)).join(' | ')} |`,
    `| finished | ${result.window.byTenth.map((point) => String(point.finished)).join(' | ')} |`,
    `| of which writers | ${result.window.byTenth.map((point) => String(point.writersFinished)).join(' | ')} |`,
    '',
    'Every workflow history of the run:',
    '',
    '| workflow | type | events | bytes (fetched) | bytes (server) |',
    '| --- | --- | --- | --- | --- |',
    ...histories.workflows.map((figure) => `| ${figure.workflowId} | ${figure.workflowType} | ${thousands(figure.events)} | ${thousands(figure.bytes)} | ${figure.serverBytes === null ? 'n/a' : thousands(figure.serverBytes)} |`),
  ];
  return `${lines.join('\n')}\n`;
}

say(`load: ${episodes} episodes, ${contexts} browser contexts, maxSteps ${maxSteps}`);
const result = await runLoad({ episodes, contexts, maxSteps, samplesPerTask, timeoutMs: timeoutMinutes * 60_000, log: say });
const resultsDir = join(PROJECT_ROOT, 'reliability', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'load.json'), `${JSON.stringify(result, null, 2)}\n`);
const section = loadSection(result);
writeFileSync(join(resultsDir, 'load.md'), section);
process.stdout.write(section);
say(`wrote ${join(resultsDir, 'load.json')} and load.md`);
const clean = result.finished && result.episodes.lost === 0 && result.episodes.duplicated === 0 && result.episodes.unexpected === 0;
process.exitCode = clean ? 0 : 1;

// `npm run reliability:faults`: a whole improvement run whose every model endpoint (agent, OOD
// generator, evaluator judge, LLM critic, embeddings, fine-tuning API) is behind the fault-injecting
// proxy at a 20% fault rate. Prints a table and writes reliability/results/faults.json and faults.md
// (the section docs/reliability.md shows): faults injected per kind, survived, items lost, retries
// per activity from the workflow histories, wall time, peak memory and the machine's load.
//
//   npm run reliability:faults                                   # 8 tasks per split, 2 rounds, rate 0.2
//   npm run reliability:faults -- --tasks 4 --rounds 1 --rate 0.3 --seed 9 --faults rate-limit,timeout
//
// Needs what `npm test` needs: PostgreSQL on 127.0.0.1:5432 (or TEST_DATABASE_SERVER_URL), the
// Temporal CLI and Chromium (`npm run setup` installs them). Everything it starts it stops, and its
// database and data folder are removed at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FAULT_DESCRIPTIONS, FAULT_KINDS, parseFaultList } from '../src/reliability/fault-injecting-proxy';
import { PROJECT_ROOT } from '../src/stack/toolchain';
import { runThroughModelFaults, type FaultRunResult } from './model-fault-run';

const { values: flags } = parseArgs({
  options: {
    tasks: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
    rate: { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '7' },
    faults: { type: 'string' },
    concurrency: { type: 'string', default: '2' },
    'max-steps': { type: 'string', default: '8' },
    ood: { type: 'string', default: '4' },
    'timeout-minutes': { type: 'string', default: '90' },
  },
});

function integerFlag(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} ${JSON.stringify(text)}: expected an integer >= ${min}`);
  return value;
}
const rate = Number(flags.rate);
if (flags.rate.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) throw new Error(`--rate ${JSON.stringify(flags.rate)}: expected a fraction between 0 and 1`);
const options = {
  tasks: integerFlag('tasks', flags.tasks, 1),
  rounds: integerFlag('rounds', flags.rounds, 1),
  rate,
  seed: integerFlag('seed', flags.seed, 0),
  faults: flags.faults === undefined ? undefined : parseFaultList(flags.faults),
  concurrency: integerFlag('concurrency', flags.concurrency, 1),
  maxSteps: integerFlag('max-steps', flags['max-steps'], 1),
  oodCount: integerFlag('ood', flags.ood, 0),
  timeoutMs: integerFlag('timeout-minutes', flags['timeout-minutes'], 1) * 60_000,
};

const say = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

/** The markdown section docs/reliability.md shows, written only from the result. */
function faultsSection(result: FaultRunResult): string {
  const { proxy, episodes, histories, memory, machine, options: used } = result;
  const totalRetries = histories.activities.reduce((sum, figures) => sum + figures.retries, 0);
  const lines = [
    '## faults',
    '',
    `A ${used.rounds}-round improvement run on ${used.tasks} built-in tasks per split (rollout concurrency ${used.concurrency}, maxSteps ${used.maxSteps}, ${used.oodCount} OOD examples per round, LLM critic on) with every model endpoint — agent, OOD generator, evaluator judge, critic, embeddings and the fine-tuning API — behind \`ratchet fault-proxy\` at a fault rate of ${used.rate} (seed ${used.seed}), in front of the local model server. Each faulted request gets one of: ${used.faults.join(', ')}. Model calls have a ${used.modelCallTimeoutMs / 1000} s client deadline (what a timeout fault costs). Retry policies as shipped (src/workflows/activity-options.ts).`,
    '',
    `Machine: ${machine.cores} cores; load average at start ${machine.loadAverageAtStart.join(' / ')}, at end ${machine.loadAverageAtEnd.join(' / ')}${machine.loadAverageAtStart[0]! > machine.cores ? ' (other work shared the CPUs, so times are inflated)' : ''}.`,
    '',
    result.finished ? `The run completed (${result.roundsCompleted} rounds).` : `**The run did not complete: ${result.problem ?? 'unknown reason'}.**`,
    '',
    '| figure | value |',
    '| --- | --- |',
    `| model requests through the proxy | ${proxy.requests} (${proxy.forwarded} forwarded untouched) |`,
    `| faults injected | ${proxy.injected} (${(100 * proxy.injected / Math.max(1, proxy.requests)).toFixed(1)}% of requests) |`,
    `| faults survived (the activity succeeded on a later attempt) | ${result.faultsSurvived} |`,
    `| items lost (episodes failed after their retries + steps not completed) | ${result.itemsLost} (${episodes.failed} episodes, ${result.stepsNotCompleted.length} steps) |`,
    `| episodes completed | ${episodes.completed} of ${episodes.total} (${episodes.steps} agent steps) |`,
    `| activity retries in the workflow histories | ${totalRetries} over ${histories.workflows} workflow executions |`,
    `| wall time | ${result.wallSeconds} s |`,
    `| peak memory: all (this process + its children) / this process (workers, sites, model server, proxy) / children (Temporal, Chromium) | ${memory.peakTotalMiB} / ${memory.peakRatchetProcessMiB} / ${memory.peakChildrenMiB} MiB |`,
    '',
    'Faults injected by kind:',
    '',
    '| fault | injected | what the proxy does |',
    '| --- | --- | --- |',
    ...FAULT_KINDS.filter((kind) => used.faults.includes(kind)).map((kind) => `| ${kind} | ${proxy.byKind[kind]} | ${FAULT_DESCRIPTIONS[kind]} |`),
    '',
    'Retries per activity, from the workflow histories (ActivityTaskStarted attempt and last failure, as the Temporal UI shows them):',
    '',
    '| activity | executions | retried | retries | most attempts | failed after retries |',
    '| --- | --- | --- | --- | --- | --- |',
    ...histories.activities.map((figures) => `| ${figures.activityType} | ${figures.executions} | ${figures.retried} | ${figures.retries} | ${figures.maxAttempt} | ${figures.failedFinally} |`),
    '',
    `Last failure before the successful attempt, by Temporal failure type: ${Object.entries(histories.lastFailureTypes).sort((a, b) => b[1] - a[1]).map(([type, count]) => `${type} ${count}`).join(', ') || 'none'}.`,
    '',
    histories.example
      ? `For example, \`${histories.example.activityType}\` in \`${histories.example.workflowId}\` succeeded on attempt ${histories.example.attempt} after: \`${histories.example.lastFailure.replace(/\s+/g, ' ').trim().slice(0, 240)}\`.`
      : 'No retried activity was found in the histories.',
  ];
  if (result.stepsNotCompleted.length > 0) {
    lines.push('', 'Steps that did not complete:', '', ...result.stepsNotCompleted.map((state) => `- ${state.workflowId} ${state.step}: ${state.status}: ${state.error ?? ''}`));
  }
  return `${lines.join('\n')}\n`;
}

say(`faults: ${options.tasks} tasks per split, ${options.rounds} rounds, fault rate ${options.rate}, seed ${options.seed}`);
const result = await runThroughModelFaults({ ...options, log: say });
const resultsDir = join(PROJECT_ROOT, 'reliability', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'faults.json'), `${JSON.stringify(result, null, 2)}\n`);
const section = faultsSection(result);
writeFileSync(join(resultsDir, 'faults.md'), section);
process.stdout.write(section);
say(`wrote ${join(resultsDir, 'faults.json')} and faults.md`);
process.exitCode = result.finished && result.itemsLost === 0 ? 0 : 1;

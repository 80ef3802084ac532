// `npm run reliability:hostile`: real episodes (one Chromium, the agent runtime, a scripted model
// over HTTP) on every page of the hostile site, each followed by a calm episode in the same browser;
// prints a table and writes reliability/results/hostile.json and hostile.md. Exits 1 when an
// episode was not contained in time, a request reached the other origin, or the browser was left unhealthy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describePageIncident } from '../src/browser/page-incidents';
import { WorkerBrowser } from '../src/browser/worker-browser';
import { PROJECT_ROOT } from '../src/stack/toolchain';
import { containedOutcome, describeEpisode, HOSTILE_CASES, makeTraceDir, runHostileCase, type HostileCaseReport } from './hostile-episodes';
import { startHostileSite } from './hostile-site';

const program = new Command('reliability:hostile')
  .description('episodes on hostile pages: each must end contained within its limit and leave the browser healthy')
  .option('--cases <names>', `comma-separated subset of: ${HOSTILE_CASES.map((hostile) => hostile.name).join(', ')}`)
  .option('--out <dir>', 'where hostile.json and hostile.md go', join(PROJECT_ROOT, 'reliability', 'results'));
program.parse();
const flags = program.opts<{ cases?: string; out: string }>();

const wanted = flags.cases?.split(',').map((name) => name.trim()).filter(Boolean);
const unknown = (wanted ?? []).filter((name) => !HOSTILE_CASES.some((hostile) => hostile.name === name));
if (unknown.length > 0) {
  process.stderr.write(`--cases: unknown case(s) ${unknown.join(', ')}; choose from ${HOSTILE_CASES.map((hostile) => hostile.name).join(', ')}\n`);
  process.exit(1);
}
const cases = wanted ? HOSTILE_CASES.filter((hostile) => wanted.includes(hostile.name)) : HOSTILE_CASES;

interface CaseRow {
  page: string;
  hostility: string;
  outcome: string;
  detail: string;
  contained: boolean;
  expected: boolean;
  secondsToContain: number;
  limitSeconds: number;
  blockedRequests: number;
  incidents: string[];
  leakedRequests: string[];
  nextEpisode: string;
  nextEpisodeSeconds: number;
  healthyAfter: boolean;
}

function rowOf(report: HostileCaseReport): CaseRow {
  const outcome = containedOutcome(report.episode);
  const healthyAfter = containedOutcome(report.control) === 'scored' && report.control.outcome?.score === 1;
  const incidentCounts = new Map<string, number>();
  for (const incident of report.episode.incidents) {
    const text = describePageIncident(incident).replace(/https?:\/\/127\.0\.0\.1:\d+/g, '').replace(/blob:\/[0-9a-f-]+/, 'a blob: URL');
    incidentCounts.set(text, (incidentCounts.get(text) ?? 0) + 1);
  }
  return {
    page: report.hostile.name,
    hostility: report.hostile.hostility,
    outcome: outcome ?? 'NOT CONTAINED',
    detail: describeEpisode(report.episode).replace(/https?:\/\/127\.0\.0\.1:\d+/g, ''),
    contained: outcome !== null && report.episode.elapsedMs < report.hostile.containWithinMs,
    expected: outcome !== null && report.hostile.expected.includes(outcome),
    secondsToContain: Math.round(report.episode.elapsedMs / 100) / 10,
    limitSeconds: report.hostile.containWithinMs / 1000,
    blockedRequests: report.episode.blockedRequests.length,
    incidents: [...incidentCounts].map(([text, count]) => (count > 1 ? `${count}x ${text}` : text)),
    leakedRequests: report.leakedRequests,
    nextEpisode: describeEpisode(report.control),
    nextEpisodeSeconds: Math.round(report.control.elapsedMs / 100) / 10,
    healthyAfter,
  };
}

const say = (line: string) => process.stderr.write(`${line}\n`);
const startedAt = new Date();
const loadAtStart = loadavg()[0] ?? 0;
const site = await startHostileSite();
const browser = new WorkerBrowser();
const traces = await makeTraceDir();
const rows: CaseRow[] = [];
try {
  for (const hostile of cases) {
    say(`${hostile.name}: ${hostile.hostility}`);
    const row = rowOf(await runHostileCase(browser, site, hostile, { traceDir: traces.dir }));
    say(`  ${row.outcome} in ${row.secondsToContain} s (${row.detail}); next episode: ${row.nextEpisode} in ${row.nextEpisodeSeconds} s`);
    rows.push(row);
  }
} finally {
  await browser.close();
  await site.close();
  await traces.remove();
}
const loadAtEnd = loadavg()[0] ?? 0;
const failures = rows.filter((row) => !row.contained || !row.expected || !row.healthyAfter || row.leakedRequests.length > 0);

const machine = { cpus: cpus().length, loadAverageAtStart: Math.round(loadAtStart * 10) / 10, loadAverageAtEnd: Math.round(loadAtEnd * 10) / 10, node: process.version };
const cell = (text: string) => text.replace(/\|/g, '\\|');
const table = [
  '| page | what it does | outcome | time to contain | limit | blocked requests | contained incidents | worker healthy after |',
  '| --- | --- | --- | ---: | ---: | ---: | --- | --- |',
  ...rows.map((row) => `| ${row.page} | ${cell(row.hostility)} | ${cell(row.detail)} | ${row.secondsToContain} s | ${row.limitSeconds} s | ${row.blockedRequests} | ${cell(row.incidents.join('; ') || '-')} | ${row.healthyAfter ? `yes (next episode scored 1 in ${row.nextEpisodeSeconds} s)` : `NO: ${cell(row.nextEpisode)}`} |`),
];
const markdown = [
  '## hostile: episodes on hostile pages',
  '',
  'Each hostile page of `reliability/hostile-site.ts` gets a real episode (the worker\'s one Chromium, a fresh',
  'context with the egress policy, observation, actions, evaluation and a Playwright trace; a scripted model over',
  'HTTP), then a calm episode in the same browser. "Time to contain" is from the start of the episode to its',
  'outcome, context closed; the limit comes from the browser deadlines it runs into (navigation 30 s, action',
  '50 s, observation 20 s). A second local origin counts every request that reaches it: '
    + `${rows.reduce((sum, row) => sum + row.leakedRequests.length, 0)} did.`,
  '',
  ...table,
  '',
  `${rows.length} pages, ${failures.length} failed (not contained in time, unexpected outcome, a leaked request, or an unhealthy`
    + ` browser after). Measured ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} cores with load average`
    + ` ${machine.loadAverageAtStart} at the start and ${machine.loadAverageAtEnd} at the end (other work was running: times are inflated).`,
];

mkdirSync(flags.out, { recursive: true });
writeFileSync(join(flags.out, 'hostile.json'), `${JSON.stringify({ startedAt: startedAt.toISOString(), machine, rows, failures: failures.map((row) => row.page) }, null, 2)}\n`);
writeFileSync(join(flags.out, 'hostile.md'), `${markdown.join('\n')}\n`);
process.stdout.write(`${table.join('\n')}\n`);
say(`wrote ${join(flags.out, 'hostile.json')} and hostile.md; ${failures.length} of ${rows.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);

/**
 * Writes docs/reliability.md from the reliability scripts' own output: each script leaves a markdown
 * section in reliability/results/<name>.md; this joins them under one header, in a fixed order. A
 * script whose results are not on this machine (results/ is not committed) keeps the section the
 * page already has, so refreshing one script's figures does not drop the others'; a script never run
 * is named as not measured instead of inventing figures.
 *
 *   npx tsx reliability/write-doc.ts
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/stack/toolchain';

/** Every reliability script, in the order the page shows them. */
const SCRIPTS = [
  { name: 'chaos', command: 'npm run reliability:chaos', about: 'worker SIGKILLs, Temporal and PostgreSQL restarts during a run' },
  { name: 'faults', command: 'npm run reliability:faults', about: 'a run through a fault-injecting proxy in front of the model endpoint' },
  { name: 'hostile', command: 'npm run reliability:hostile', about: 'episodes on hostile pages' },
  { name: 'load', command: 'npm run reliability:load', about: '1,000 queued episodes with 4 browser contexts' },
] as const;

const resultsDir = join(PROJECT_ROOT, 'reliability', 'results');
const target = join(PROJECT_ROOT, 'docs', 'reliability.md');

/** The `## <name>` sections of the page as it is now, each with its text up to the next section. */
function currentSections(): Map<string, string> {
  const sections = new Map<string, string>();
  if (!existsSync(target)) return sections;
  const parts = readFileSync(target, 'utf8').split(/^(?=## )/m);
  for (const part of parts) {
    const name = /^## ([A-Za-z0-9-]+)/.exec(part)?.[1];
    if (name && !part.includes('Not measured yet')) sections.set(name, part.trim());
  }
  return sections;
}
const previous = currentSections();
const lines: string[] = [
  '# Reliability',
  '',
  'Users leave Ratchet running for days. The scripts under `reliability/` disturb real runs on this',
  'machine and check that nothing is lost; each writes its figures to `reliability/results/<name>.md`',
  'and `.json`, and `npx tsx reliability/write-doc.ts` joins the sections into this page. Nothing below',
  'is typed by hand: rerun the scripts to refresh it. Smaller versions of the same checks run in',
  '`npm test` (test/reliability/).',
  '',
  '| script | command | what it does |',
  '| --- | --- | --- |',
  ...SCRIPTS.map((script) => `| ${script.name} | \`${script.command}\` | ${script.about} |`),
  '',
];
for (const script of SCRIPTS) {
  const file = join(resultsDir, `${script.name}.md`);
  if (!existsSync(file)) {
    const kept = previous.get(script.name);
    lines.push(...(kept ? [kept, ''] : [`## ${script.name}`, '', `Not measured yet: run \`${script.command}\`.`, '']));
    continue;
  }
  lines.push(readFileSync(file, 'utf8').trim(), '', `_Section written by \`${script.command}\` on ${statSync(file).mtime.toISOString().slice(0, 16).replace('T', ' ')} UTC._`, '');
}
writeFileSync(target, `${lines.join('\n').trimEnd()}\n`);
process.stdout.write(`wrote ${target}\n`);

import type { Command } from 'commander';
import { readEnv } from '../config/env';

/** `report RUN --out DIR`: the run's HTML report with charts, report.json and trajectory pages. */
export function registerReportCommand(program: Command): void {
  program
    .command('report <run>')
    .description('write a self-contained HTML report (charts, gained/lost capabilities, trajectories) and report.json')
    .option('--out <dir>', 'output folder', 'reports/<run>')
    .action(async (runId: string, options: { out: string }) => {
      const { findRunningDatabase } = await import('../stack/postgres');
      const { openDatabase } = await import('../storage/database');
      const { writeReport } = await import('../report/write-report');
      const db = openDatabase(await findRunningDatabase(readEnv().DATABASE_URL), { max: 4 });
      try {
        const out = options.out === 'reports/<run>' ? `reports/${runId.replace(/[^A-Za-z0-9._-]+/g, '_')}` : options.out;
        const written = await writeReport(db, runId, out);
        process.stderr.write(`wrote ${written.htmlFile} (${written.episodes} trajectories)\n`);
        process.stdout.write(`report: ${written.jsonFile}\n`);
      } finally {
        await db.end();
      }
    });
}

import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Queryable } from '../storage/database';
import { listSteps } from '../storage/episodes';
import { buildReportData } from './build-report-data';
import { renderEpisodeHtml, renderReportHtml } from './render-report-html';

/** Writes DIR/index.html (self-contained), DIR/report.json, a page per trajectory and its trace. */
export async function writeReport(db: Queryable, runId: string, outDir: string): Promise<{ htmlFile: string; jsonFile: string; episodes: number }> {
  const data = await buildReportData(db, runId);
  const out = resolve(outDir);
  mkdirSync(join(out, 'episodes'), { recursive: true });
  mkdirSync(join(out, 'traces'), { recursive: true });
  for (const episode of data.episodes) {
    let traceFile: string | null = null;
    if (episode.trace && existsSync(episode.trace)) {
      traceFile = `../traces/${basename(episode.page, '.html')}.zip`;
      copyFileSync(episode.trace, join(out, 'traces', `${basename(episode.page, '.html')}.zip`));
    }
    writeFileSync(join(out, episode.page), renderEpisodeHtml(episode, await listSteps(db, episode.id), traceFile));
  }
  const htmlFile = join(out, 'index.html');
  const jsonFile = join(out, 'report.json');
  writeFileSync(htmlFile, renderReportHtml(data));
  writeFileSync(jsonFile, `${JSON.stringify(data, null, 2)}\n`);
  return { htmlFile, jsonFile, episodes: data.episodes.length };
}

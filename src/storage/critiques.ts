import type { Queryable } from './database';

/** Stores one trajectory's critique (idempotent by episode). */
export async function upsertCritique(db: Queryable, critique: { episodeId: string; runId: string; round: number; kept: boolean; failedChecks: string[]; judge: unknown }): Promise<void> {
  await db.query(
    `INSERT INTO critiques (episode_id, run_id, round, kept, failed_checks, judge) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (episode_id) DO UPDATE SET kept = EXCLUDED.kept, failed_checks = EXCLUDED.failed_checks, judge = EXCLUDED.judge`,
    [critique.episodeId, critique.runId, critique.round, critique.kept, JSON.stringify(critique.failedChecks), critique.judge === null ? null : JSON.stringify(critique.judge)],
  );
}

/** Ids of the episodes the critique kept, for rounds up to and including `round`, with their round. */
export async function listKeptEpisodes(db: Queryable, runId: string, upToRound: number): Promise<Array<{ episodeId: string; round: number }>> {
  const result = await db.query(
    'SELECT episode_id, round FROM critiques WHERE run_id = $1 AND round <= $2 AND kept ORDER BY round, episode_id',
    [runId, upToRound],
  );
  return result.rows.map((row: { episode_id: string; round: number }) => ({ episodeId: row.episode_id, round: row.round }));
}

/** The critiques stored for a round, by episode id (a retried critique step reuses them instead of asking the judge again). */
export async function listRoundCritiques(db: Queryable, runId: string, round: number): Promise<Map<string, { kept: boolean; judge: unknown }>> {
  const result = await db.query('SELECT episode_id, kept, judge FROM critiques WHERE run_id = $1 AND round = $2', [runId, round]);
  return new Map(result.rows.map((row: { episode_id: string; kept: boolean; judge: unknown }) => [row.episode_id, { kept: row.kept, judge: row.judge }]));
}

/** Records a round's filter quality. */
export async function recordFilterQuality(db: Queryable, runId: string, round: number, quality: unknown): Promise<void> {
  await db.query('UPDATE rounds SET filter_quality = $3 WHERE run_id = $1 AND number = $2', [runId, round, JSON.stringify(quality)]);
}

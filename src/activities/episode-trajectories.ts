import type { Trajectory } from '../domain/trajectory';
import { episodeOutcomeSchema } from '../domain/trajectory';
import type { Queryable } from '../storage/database';
import { listSteps, type EpisodeRow } from '../storage/episodes';
import { getTask } from '../storage/tasks';

/** An episode row and its steps as the critique filter and the mixture builder read them. */
export async function loadTrajectory(db: Queryable, episode: EpisodeRow): Promise<Trajectory> {
  const task = await getTask(db, episode.suite_id, episode.task_id);
  return {
    episodeId: episode.id,
    taskId: String(episode.task_id),
    intentTemplateId: task.intentTemplateId,
    steps: await listSteps(db, episode.id),
    outcome: episodeOutcomeSchema.parse({
      answer: episode.answer,
      finalResponse: episode.final_response,
      finalUrl: episode.final_url,
      earlyStopReason: episode.early_stop_reason,
      environmentError: episode.environment_error,
      length: episode.length ?? 0,
      invalidActionCount: episode.invalid_action_count ?? 0,
      promptTokens: episode.prompt_tokens ?? 0,
      completionTokens: episode.completion_tokens ?? 0,
      score: episode.score,
      evaluatorVersion: episode.evaluator_version,
      evaluatorDetails: episode.evaluator_details ?? [],
    }),
  };
}

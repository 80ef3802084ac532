import { createBrowserActivities } from './browser';
import { createCritiqueActivities } from './critique';
import type { ActivityDependencies } from './dependencies';
import { createExperimentActivities } from './experiment';
import { createFineTuneActivities } from './finetune';
import { createLlmActivities } from './llm';
import { createMetricsActivities } from './metrics';
import { createMixActivities } from './mix';
import { withTransientFaultBudget } from './activity-failure';
import { createStoreActivities } from './store';
import { databasePortOf } from '../storage/database-unavailable';

/**
 * Every activity, grouped by concern; each worker registers the groups of its task queue. Every group
 * has a retry budget (src/workflows/activity-options.ts) that only transient faults may spend (the
 * model endpoint or PostgreSQL not answering): other failures are final after 3 attempts.
 */
export function createActivities(deps: ActivityDependencies) {
  const budget = { databasePort: databasePortOf(deps.db) };
  return {
    store: withTransientFaultBudget(createStoreActivities(deps), budget),
    browser: withTransientFaultBudget(createBrowserActivities(deps), budget),
    llm: withTransientFaultBudget(createLlmActivities(deps), budget),
    critique: withTransientFaultBudget(createCritiqueActivities(deps), budget),
    mix: withTransientFaultBudget(createMixActivities(deps), budget),
    // checkFineTune polls by failing until the job ends: its attempt number counts polls, not failures.
    finetune: withTransientFaultBudget(createFineTuneActivities(deps), { ...budget, except: ['checkFineTune'] }),
    metrics: withTransientFaultBudget(createMetricsActivities(deps), budget),
    experiment: withTransientFaultBudget(createExperimentActivities(deps), budget),
  };
}

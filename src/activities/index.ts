import { createBrowserActivities } from './browser';
import { createCritiqueActivities } from './critique';
import type { ActivityDependencies } from './dependencies';
import { createFineTuneActivities } from './finetune';
import { createLlmActivities } from './llm';
import { createMetricsActivities } from './metrics';
import { createMixActivities } from './mix';
import { createStoreActivities } from './store';

/** Every activity, grouped by concern; each worker registers the groups of its task queue. */
export function createActivities(deps: ActivityDependencies) {
  return {
    store: createStoreActivities(deps),
    browser: createBrowserActivities(deps),
    llm: createLlmActivities(deps),
    critique: createCritiqueActivities(deps),
    mix: createMixActivities(deps),
    finetune: createFineTuneActivities(deps),
    metrics: createMetricsActivities(deps),
  };
}

import type { TaskConfig } from '../../src/tasks/task-config';

/** A minimal valid task that starts on the given URL(s) of site `fixture`. */
export function fixtureTask(startUrl: string, overrides: Partial<TaskConfig> = {}): TaskConfig {
  return {
    task_id: 1,
    sites: ['fixture'],
    intent: 'Press the button',
    intent_template: 'Press the button',
    instantiation_dict: {},
    intent_template_id: 1,
    start_url: startUrl,
    require_login: false,
    storage_state: null,
    geolocation: null,
    require_reset: false,
    eval: { eval_types: ['string_match'], reference_answers: { exact_match: 'done' }, reference_url: '', program_html: [] },
    ...overrides,
  };
}

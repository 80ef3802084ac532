import { parseRunSpec, type RunSpec } from './run-spec';

/**
 * The run `npm start` performs on the embedded defaults: the built-in sites and suite, the local
 * model, a base evaluation, then two rounds with mixture B and a held-out evaluation after each.
 */
export function demoRunSpec(): RunSpec {
  return parseRunSpec({
    name: 'demo',
    seed: 7,
    rounds: 2,
    // 60 tasks per split (a fixed seeded sample) keeps the whole demo within 15 minutes on 2 cores.
    suite: { path: 'builtin', taskLimit: 60 },
    mixture: { preset: 'B' },
    rollout: { concurrency: 2, temperature: 0 },
    finetune: { from: 'base', provider: { provider: 'openai', endpoint: 'local', pollIntervalMs: 1_000 } },
  }, 'the built-in demo spec');
}

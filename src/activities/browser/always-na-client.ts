import OpenAI from 'openai';

/** The reply of the trivial agent: it declares every task impossible at its first step. */
export const ALWAYS_NA_RESPONSE = 'I will not attempt this task. In summary, the next action I will perform is ```stop [N/A]```';

/**
 * An OpenAI client whose chat completions are answered in process by the always-N/A agent, so the
 * trivial baseline runs through exactly the same agent loop, browser and evaluators as a real model.
 */
export function createAlwaysNaClient(): OpenAI {
  const answer = (): Promise<Response> => Promise.resolve(new Response(JSON.stringify({
    id: 'chatcmpl-always-na',
    object: 'chat.completion',
    created: 0,
    model: 'always-na',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: ALWAYS_NA_RESPONSE } }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  }), { status: 200, headers: { 'content-type': 'application/json' } }));
  return new OpenAI({ baseURL: 'http://always-na.invalid/v1', apiKey: 'none', maxRetries: 0, fetch: answer });
}

// Entry of a worker process for the `llm` task queue: `npx tsx src/workers/llm.ts`.
import { runWorkerProcess } from './run-worker-process';

await runWorkerProcess(['llm']);

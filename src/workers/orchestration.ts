// Entry of a worker process for the `orchestration` task queue: `npx tsx src/workers/orchestration.ts`.
import { runWorkerProcess } from './run-worker-process';

await runWorkerProcess(['orchestration']);

// Entry of a worker process for the `train` task queue: `npx tsx src/workers/train.ts`.
import { runWorkerProcess } from './run-worker-process';

await runWorkerProcess(['train']);

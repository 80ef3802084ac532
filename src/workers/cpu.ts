// Entry of a worker process for the `cpu` task queue: `npx tsx src/workers/cpu.ts`.
import { runWorkerProcess } from './run-worker-process';

await runWorkerProcess(['cpu']);

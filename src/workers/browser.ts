// Entry of a worker process for the `browser` task queue: `npx tsx src/workers/browser.ts`.
import { runWorkerProcess } from './run-worker-process';

await runWorkerProcess(['browser']);

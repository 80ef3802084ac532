// Entry of one worker process serving every task queue (the default for local use): `npx tsx src/workers/all-in-one.ts`.
import { ALL_QUEUES } from './create-workers';
import { runWorkerProcess } from './run-worker-process';

await runWorkerProcess(ALL_QUEUES);

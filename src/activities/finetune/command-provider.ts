import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import { formatChatJsonl } from '../../mixtures/chat-jsonl';
import { listDatasetExamples } from '../../storage/datasets';
import type { Queryable } from '../../storage/database';

const HEARTBEAT_EVERY_MS = 5_000;
const doneMarkerSchema = z.object({ jobId: z.string(), exitCode: z.literal(0), finishedAt: z.string() });

/** Replaces `{name}` in each argument; an unknown name is an error naming it. */
export function fillTemplate(argument: string, values: Record<string, string>): string {
  return argument.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw ApplicationFailure.nonRetryable(`fine-tune command: unknown placeholder ${whole} (known: ${Object.keys(values).map((key) => `{${key}}`).join(', ')})`, 'BadCommandTemplate');
    return value;
  });
}

/**
 * Runs an external trainer to completion: writes the dataset as JSONL, runs the command with its
 * arguments filled in, streams its output to train.log, heartbeats, and leaves a done marker so a
 * retried activity does not train twice.
 */
export async function runTrainingCommand(input: {
  db: Queryable;
  command: string[];
  outputDir: string;
  datasetId: string;
  baseModel: string;
  jobId: string;
  timeoutMs: number;
}): Promise<{ jobId: string; logFile: string }> {
  const marker = join(input.outputDir, 'ratchet-done.json');
  const logFile = join(input.outputDir, 'train.log');
  if (existsSync(marker) && doneMarkerSchema.safeParse(JSON.parse(readFileSync(marker, 'utf8'))).success) return { jobId: input.jobId, logFile };
  mkdirSync(input.outputDir, { recursive: true });
  const trainFile = join(input.outputDir, 'train.jsonl');
  const validationFile = join(input.outputDir, 'validation.jsonl');
  writeFileSync(trainFile, formatChatJsonl(await listDatasetExamples(input.db, input.datasetId, 'train')));
  writeFileSync(validationFile, formatChatJsonl(await listDatasetExamples(input.db, input.datasetId, 'validation')));
  const values = { train: trainFile, validation: validationFile, baseModel: input.baseModel, outputDir: input.outputDir, jobId: input.jobId };
  const [program, ...args] = input.command.map((argument) => fillTemplate(argument, values));
  if (!program) throw ApplicationFailure.nonRetryable('fine-tune command is empty', 'BadCommandTemplate');

  const context = Context.current();
  const log = createWriteStream(logFile, { flags: 'a' });
  let lastLine = '';
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: context.cancellationSignal });
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      const lines = chunk.toString().trim().split('\n');
      lastLine = lines[lines.length - 1] ?? lastLine;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const beat = setInterval(() => context.heartbeat({ lastLine }), HEARTBEAT_EVERY_MS);
    const deadline = setTimeout(() => child.kill('SIGKILL'), input.timeoutMs);
    child.once('error', (error) => {
      clearInterval(beat);
      clearTimeout(deadline);
      reject(ApplicationFailure.nonRetryable(`fine-tune command '${program}' could not start: ${error.message}`, 'CommandFailed'));
    });
    child.once('close', (code) => {
      clearInterval(beat);
      clearTimeout(deadline);
      resolve(code ?? -1);
    });
  });
  await new Promise((resolve) => log.end(resolve));
  if (exitCode !== 0) {
    throw ApplicationFailure.retryable(`fine-tune command '${program}' exited with ${exitCode}: ${lastLine} (log: ${logFile})`, 'CommandFailed');
  }
  writeFileSync(marker, JSON.stringify({ jobId: input.jobId, exitCode: 0, finishedAt: new Date().toISOString() }));
  return { jobId: input.jobId, logFile };
}

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { computeVertexDtw } from '../metrics/vertex-dtw';
import { parseVertexDtwInput } from '../metrics/vertex-dtw-input';

/** `ratchet metrics vertex-dtw --input FILE`: DTW path and VERTEX_DTW of one reference/test pair. */
async function vertexDtwCommand(options: { input: string }): Promise<void> {
  let text: string;
  try {
    text = await readFile(options.input, 'utf8');
  } catch (error) {
    throw new Error(`metrics vertex-dtw: cannot read ${options.input}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${options.input}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const job = parseVertexDtwInput(document, options.input);
  let result;
  try {
    result = computeVertexDtw(job);
  } catch (error) {
    throw new Error(`${options.input}: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.stdout.write(`${JSON.stringify({ dtw: result.dtw, path: result.path, vertexDtw: result.vertexDtw })}\n`);
}

/** Registers `ratchet metrics ...`. */
export function registerMetricsCommand(program: Command): void {
  const metrics = program.command('metrics').description('Evaluation metrics on files (no database needed)');
  metrics
    .command('vertex-dtw')
    .description('Align two step-embedding trajectories with cosine DTW and score VERTEX_DTW (optional baseline)')
    .requiredOption('--input <file>', 'JSON {"reference": number[][], "test": number[][], "baseline"?: number[][]}')
    .action(vertexDtwCommand);
}

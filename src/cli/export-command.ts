import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readEnv } from '../config/env';

/** `export DATASET --out FILE`: a stored training mixture as OpenAI chat fine-tuning JSONL. */
export function registerExportCommand(program: Command): void {
  program
    .command('export <dataset>')
    .description('write a dataset (a round\'s training mixture) as OpenAI chat JSONL')
    .requiredOption('--out <file>', 'the JSONL file to write')
    .option('--split <split>', 'train or validation', 'train')
    .action(async (datasetId: string, options: { out: string; split: string }) => {
      if (options.split !== 'train' && options.split !== 'validation') throw new Error(`--split must be train or validation, got '${options.split}'`);
      const { findRunningDatabase } = await import('../stack/postgres');
      const { openDatabase } = await import('../storage/database');
      const { getDataset, listDatasetExamples } = await import('../storage/datasets');
      const { formatChatJsonl } = await import('../mixtures/chat-jsonl');
      const db = openDatabase(await findRunningDatabase(readEnv().DATABASE_URL), { max: 2 });
      try {
        const dataset = await getDataset(db, datasetId);
        const examples = await listDatasetExamples(db, dataset.id, options.split);
        writeFileSync(options.out, formatChatJsonl(examples));
        process.stdout.write(`${JSON.stringify({ dataset: dataset.id, split: options.split, examples: examples.length, contentHash: dataset.content_hash, out: options.out })}\n`);
      } finally {
        await db.end();
      }
    });
}

import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

/**
 * BrowserGym's per-task metadata for WebArena (browsergym_webarena_metadata.csv): a train/test split
 * by task_id and `depends_on`, the tasks that must run first because they change site state.
 */

const metadataRowSchema = z.strictObject({
  task_name: z.string().min(1),
  requires_reset: z.enum(['True', 'False']),
  sites: z.string(),
  eval_types: z.string(),
  task_id: z.string().regex(/^\d+$/, 'must be a non-negative integer'),
  browsergym_split: z.enum(['train', 'test']),
  depends_on: z.string(),
});

export interface BrowserGymTaskMetadata {
  taskName: string;
  taskId: number;
  requiresReset: boolean;
  sites: string[];
  evalTypes: string[];
  split: 'train' | 'test';
  /** Task names (e.g. `webarena.12`) that must run before this one. */
  dependsOn: string[];
}

function splitList(text: string): string[] {
  return text.split(/\s+/).filter((item) => item !== '');
}

/** Reads BrowserGym's metadata CSV; the error names the file, the line and the column. */
export async function readBrowserGymMetadata(path: string): Promise<BrowserGymTaskMetadata[]> {
  const text = await readFile(path, 'utf8');
  let rows: unknown[];
  try {
    rows = parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true });
  } catch (error) {
    throw new Error(`reading BrowserGym metadata ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return rows.map((row, index) => {
    const parsed = metadataRowSchema.safeParse(row);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ');
      throw new Error(`reading BrowserGym metadata ${path} line ${index + 2}: ${problems}`);
    }
    const value = parsed.data;
    return {
      taskName: value.task_name,
      taskId: Number(value.task_id),
      requiresReset: value.requires_reset === 'True',
      sites: splitList(value.sites),
      evalTypes: splitList(value.eval_types),
      split: value.browsergym_split,
      dependsOn: splitList(value.depends_on),
    };
  });
}

/** BrowserGym's split as task_id lists (its test split is our eval pool). It is per task, not per template. */
export function browserGymTaskSplits(metadata: BrowserGymTaskMetadata[]): { train: number[]; eval: number[] } {
  return {
    train: metadata.filter((row) => row.split === 'train').map((row) => row.taskId),
    eval: metadata.filter((row) => row.split === 'test').map((row) => row.taskId),
  };
}

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserGymTaskSplits, readBrowserGymMetadata } from '../../src/tasks/browsergym-metadata';

const METADATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'webarena', 'browsergym_webarena_metadata.csv');

describe('readBrowserGymMetadata', () => {
  it("reads BrowserGym's 431/381 train/test split and multi-task dependencies", async () => {
    const rows = await readBrowserGymMetadata(METADATA);
    expect(rows).toHaveLength(812);
    const splits = browserGymTaskSplits(rows);
    expect(splits.train).toHaveLength(431);
    expect(splits.eval).toHaveLength(381);
    expect(rows.find((row) => row.taskId === 552)?.dependsOn).toEqual(['webarena.537', 'webarena.410']);
    expect(rows.find((row) => row.taskId === 552)?.sites).toEqual(['gitlab', 'reddit']);
  });

  it('names the file and line of a row with a bad split', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ratchet-metadata-'));
    const file = join(folder, 'metadata.csv');
    await writeFile(file, 'task_name,requires_reset,sites,eval_types,task_id,browsergym_split,depends_on\nwebarena.0,False,map,string_match,0,train,\nwebarena.1,False,map,string_match,1,dev,\n');
    await expect(readBrowserGymMetadata(file)).rejects.toThrow(`reading BrowserGym metadata ${file} line 3: browsergym_split`);
  });
});

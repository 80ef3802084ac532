import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/stack/toolchain';

const run = promisify(execFile);
const ratchet = join(PROJECT_ROOT, 'bin', 'ratchet.mjs');

async function metrics(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [ratchet, 'metrics', 'vertex-dtw', '--input', file]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('ratchet metrics vertex-dtw', () => {
  let folder: string;
  const write = async (name: string, content: string) => {
    const file = join(folder, name);
    await writeFile(file, content);
    return file;
  };
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ratchet-metrics-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('prints the DTW distance, the path and VERTEX_DTW as JSON', async () => {
    const file = await write('pair.json', JSON.stringify({ reference: [[1, 0], [0, 1]], test: [[1, 0], [1, 0], [0, 1]], baseline: [[0, 1]] }));
    const result = await metrics(file);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { dtw: number; path: number[][]; vertexDtw: number };
    expect(output.path).toEqual([[0, 0], [0, 1], [1, 2]]);
    expect(output.dtw).toBeCloseTo(0, 12);
    const lowered = 1 - Math.exp(-2);
    expect(output.vertexDtw).toBeCloseTo((lowered + lowered / 2 + 0.5) / 3, 12);
  });

  it('exits non-zero naming the file and the field for a ragged embedding', async () => {
    const file = await write('ragged.json', JSON.stringify({ reference: [[1, 0]], test: [[1, 0, 2]] }));
    const result = await metrics(file);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file}: test[0]: has 3 values but reference[0] has 2`);
  });

  it('exits non-zero for an unknown field, a missing field and a zero vector', async () => {
    const extra = await metrics(await write('extra.json', JSON.stringify({ reference: [[1]], test: [[1]], tests: [] })));
    expect(extra.stderr).toMatch(/extra\.json: .*tests/);
    const missing = await metrics(await write('missing.json', JSON.stringify({ reference: [[1]] })));
    expect(missing.stderr).toMatch(/missing\.json: test: /);
    const zero = await metrics(await write('zero.json', JSON.stringify({ reference: [[0, 0]], test: [[1, 0]] })));
    expect(zero.code).not.toBe(0);
    expect(zero.stderr).toMatch(/zero\.json: reference\[0\] has zero/);
  });

  it('exits non-zero for a file that is not JSON', async () => {
    const result = await metrics(await write('broken.json', '{"reference": ['));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/broken\.json: not valid JSON/);
  });
});

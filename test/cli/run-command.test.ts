import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli';

describe('ratchet run', () => {
  it('rejects a bad run spec naming the file and the key, before anything starts', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ratchet-run-'));
    const spec = join(folder, 'spec.json');
    writeFileSync(spec, JSON.stringify({ name: 'bad', rounds: 'two', rollout: { concurrency: 0 } }));
    const dataDir = join(folder, 'data');
    const result = runCli(['run', '--spec', spec], { env: { RATCHET_DATA_DIR: dataDir } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(spec);
    expect(result.stderr).toContain('rounds:');
    expect(result.stderr).toContain('rollout.concurrency:');
    // Nothing was started: no Temporal history, no logs, no data folder at all.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('names a spec file that does not exist', () => {
    const result = runCli(['run', '--spec', '/nonexistent/spec.json']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('/nonexistent/spec.json');
    expect(result.stderr).toContain('cannot read the file');
  });

  it('lists every command in its help', () => {
    const result = runCli(['--help']);
    expect(result.status).toBe(0);
    for (const command of ['dev', 'start', 'run', 'status', 'retry-step', 'skip-step', 'abort', 'worker', 'schedule', 'report', 'export']) {
      expect(result.stdout).toContain(command);
    }
  });
});

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRunSpec } from '../../src/config/demo-spec';
import { MixtureListError, newExperimentId, parseMixtureList } from '../../src/runs/launch-experiment';
import { createTestDatabase } from '../support/database';
import { runCli } from '../support/run-cli';

describe('parseMixtureList', () => {
  it('reads a comma-separated list of mixtures in the order given', () => {
    expect(parseMixtureList('A,B,C')).toEqual(['A', 'B', 'C']);
    expect(parseMixtureList('c, a')).toEqual(['C', 'A']);
  });

  it.each([
    ['A,D', "'D' is not a mixture"],
    ['A,A', "'A' is listed twice"],
    ['A,,B', 'empty entry'],
    ['', 'empty entry'],
    ['AB', "'AB' is not a mixture"],
  ])('rejects %j naming the flag and the value', (value, reason) => {
    expect(() => parseMixtureList(value)).toThrow(MixtureListError);
    expect(() => parseMixtureList(value)).toThrow(`--mixtures '${value}': ${reason}`);
  });
});

describe('newExperimentId', () => {
  it('names experiments apart from runs of the same spec', () => {
    const at = new Date('2026-11-24T04:15:03Z');
    expect(newExperimentId({ ...demoRunSpec(), name: 'qwen' }, at)).toBe('qwen-experiment-20261124-041503');
    expect(newExperimentId({ ...demoRunSpec(), name: 'experiment' }, at)).toBe('experiment-20261124-041503');
  });
});

describe('ratchet experiment', () => {
  it('rejects a bad --mixtures value before anything starts', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ratchet-experiment-')), 'data');
    const result = runCli(['experiment', '--mixtures', 'A,D'], { env: { RATCHET_DATA_DIR: dataDir } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--mixtures 'A,D': 'D' is not a mixture; give a comma-separated list of A, B, C");
    expect(existsSync(dataDir)).toBe(false);
  });

  it('rejects a bad run spec before anything starts', () => {
    const result = runCli(['experiment', '--mixtures', 'A,B', '--spec', '/nonexistent/spec.json']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('/nonexistent/spec.json');
  });

  it('is listed in the help with compare', () => {
    const result = runCli(['--help']);
    expect(result.stdout).toContain('experiment');
    expect(result.stdout).toContain('compare');
  });
});

describe('ratchet compare', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('names an evaluation id that is not stored', () => {
    const result = runCli(['compare', 'no-such-evaluation', 'other'], { env: { DATABASE_URL: database.url } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("evaluation 'no-such-evaluation': no evaluation has this id");
  });

  it('names a run:label whose run has no evaluations', () => {
    const result = runCli(['compare', 'missing-run:base', 'missing-run:mixture A'], { env: { DATABASE_URL: database.url } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("evaluation 'missing-run:base': no evaluation has this id, and run 'missing-run' has no evaluations");
  });

  it('rejects a bad --resamples value', () => {
    const result = runCli(['compare', 'a', 'b', '--resamples', '0'], { env: { DATABASE_URL: database.url } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--resamples must be a positive integer, got '0'");
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoRunSpec } from '../../src/config/demo-spec';
import { loadRunSpec, RunSpecError } from '../../src/config/run-spec';

const folder = mkdtempSync(join(tmpdir(), 'ratchet-spec-'));
function specFile(name: string, content: string): string {
  const file = join(folder, name);
  writeFileSync(file, content);
  return file;
}

describe('run spec', () => {
  it('fills every default from a minimal file', () => {
    const spec = loadRunSpec(specFile('minimal.json', JSON.stringify({ name: 'minimal' })));
    expect(spec.rounds).toBe(2);
    expect(spec.model).toBe('local');
    expect(spec.mixture.preset).toBe('B');
    expect(spec.rollout.maxSteps).toBe(30);
    expect(spec.finetune.provider.provider).toBe('openai');
  });

  it('names the file and the key of a wrong value', () => {
    const file = specFile('bad-rounds.json', JSON.stringify({ name: 'x', rounds: 0 }));
    expect(() => loadRunSpec(file)).toThrow(RunSpecError);
    expect(() => loadRunSpec(file)).toThrow(new RegExp(`${file}[\\s\\S]*rounds:`));
  });

  it('names nested keys and rejects unknown ones', () => {
    const file = specFile('nested.json', JSON.stringify({ name: 'x', rollout: { concurrency: 'two' }, mixtures: 'B' }));
    try {
      loadRunSpec(file);
      throw new Error('expected a RunSpecError');
    } catch (error) {
      expect(error).toBeInstanceOf(RunSpecError);
      const problems = (error as RunSpecError).problems.join('\n');
      expect(problems).toContain('rollout.concurrency');
      expect(problems).toContain('mixtures');
    }
  });

  it('reports a file that is not JSON, and one that does not exist', () => {
    expect(() => loadRunSpec(specFile('broken.json', '{ name: '))).toThrow(/not valid JSON/);
    expect(() => loadRunSpec(join(folder, 'missing.json'))).toThrow(/cannot read the file/);
  });

  it('rejects an endpoint without a model name and a bad fine-tune command', () => {
    const file = specFile('endpoint.json', JSON.stringify({ name: 'x', model: { baseUrl: 'http://127.0.0.1:9/v1' }, finetune: { provider: { provider: 'command', command: [] } } }));
    expect(() => loadRunSpec(file)).toThrow(/model\.model[\s\S]*finetune\.provider/);
  });

  it('ships a valid demo spec with two rounds of mixture B', () => {
    const spec = demoRunSpec();
    expect(spec.rounds).toBe(2);
    expect(spec.mixture.preset).toBe('B');
  });
});

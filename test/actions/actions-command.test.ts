import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/stack/toolchain';

function ratchetActionsParse(stdin: string): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'ratchet.mjs'), 'actions', 'parse'], { input: stdin, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout };
}

describe('ratchet actions parse', () => {
  it('prints the parsed action as JSON with its fields and exits 0', () => {
    const result = ratchetActionsParse('Reasoning. In summary, the next action I will perform is ```type [164] [restaurants near CMU] [1]```');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ valid: true, name: 'type', id: '164', text: 'restaurants near CMU', pressEnter: true });
  });

  it('prints why a response does not parse and still exits 0', () => {
    const result = ratchetActionsParse('```scroll [direction=down]```');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ valid: false, error: expect.stringContaining('scroll needs a direction') as unknown });
  });
});

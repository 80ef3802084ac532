import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../src/stack/toolchain';
import { TASK_QUEUES } from '../../src/workflows/definitions';

const COMPOSE_FILE = join(PROJECT_ROOT, 'docker-compose.yml');
const composeSchema = z.object({
  services: z.record(z.string(), z.object({
    image: z.string().optional(),
    build: z.unknown().optional(),
    command: z.array(z.string()).optional(),
    environment: z.record(z.string(), z.string()).optional(),
    profiles: z.array(z.string()).optional(),
  }).passthrough()),
});

/** The Compose CLI this machine has: the docker plugin, else the standalone docker-compose. */
function composeCommand(): string[] | undefined {
  for (const candidate of [['docker', 'compose'], ['docker-compose']]) {
    const probe = spawnSync(candidate[0]!, [...candidate.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  const compose = composeSchema.parse(parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }));

  it('runs Temporal on PostgreSQL with its UI, Ratchet\'s PostgreSQL, and one worker per task queue', () => {
    const services = compose.services;
    expect(services.temporal?.image).toMatch(/^temporalio\/auto-setup/);
    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui/);
    expect(services['temporal-db']?.image).toMatch(/^postgres/);
    expect(services['ratchet-db']?.image).toMatch(/^postgres/);
    for (const queue of Object.keys(TASK_QUEUES)) {
      const worker = services[`${queue}-worker`];
      expect(worker?.command).toEqual(expect.arrayContaining(['worker', '--queue', queue]));
      expect(worker?.build).toBeDefined();
      expect(worker?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    }
  });

  it('passes the Compose CLI\'s own validation when a Compose CLI is installed', () => {
    const command = composeCommand();
    // CI machines have no Docker; the structural checks above still run there.
    if (!command) return;
    const result = spawnSync(command[0]!, [...command.slice(1), '-f', COMPOSE_FILE, 'config', '--quiet'], { encoding: 'utf8', cwd: PROJECT_ROOT });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

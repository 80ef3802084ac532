import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/stack/toolchain';
import type { TestStack } from './stack';

/** A `ratchet worker` in its own process against a test stack, so a test can SIGKILL it. */
export function spawnWorkerProcess(stack: TestStack, name: string): ChildProcess {
  const log = createWriteStream(join(stack.dataDir, `${name}.log`));
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'ratchet.mjs'), 'worker', '--browser-contexts', '2'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      DATABASE_URL: stack.databaseUrl,
      RATCHET_DATA_DIR: stack.dataDir,
      RATCHET_MODEL_SERVER_URL: stack.local.modelBaseUrl,
      RATCHET_SITE_URLS: JSON.stringify(stack.local.siteUrls),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/** Stops a worker process and waits for it to be gone. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

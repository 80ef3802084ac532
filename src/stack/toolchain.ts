import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { z } from 'zod';

/** Project root (this file lives at src/stack/). */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

const toolchainSchema = z.object({
  temporal: z.object({ kind: z.enum(['path', 'venv', 'sdk-download']), path: z.string().nullable() }),
  chromium: z.object({ kind: z.enum(['system', 'playwright-download']), path: z.string() }),
});
export type Toolchain = z.infer<typeof toolchainSchema>;

/** What scripts/setup.mjs found: the Temporal CLI and Chromium to use. */
export function readToolchain(): Toolchain {
  const file = join(PROJECT_ROOT, '.data', 'toolchain.json');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run 'npm run setup' (npm start and npm test run it for you)`);
  }
  const parsed = toolchainSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}; run 'npm run setup' again`);
  return parsed.data;
}

/** Flags for Chromium on machines with no GPU, no sandbox privileges and no outside network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium executable: RATCHET_CHROMIUM_PATH, else what set-up found. */
export function chromiumExecutablePath(): string {
  return process.env.RATCHET_CHROMIUM_PATH ?? readToolchain().chromium.path;
}

/** Launches the project's Chromium headless with the flags above. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutablePath(),
    headless: true,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

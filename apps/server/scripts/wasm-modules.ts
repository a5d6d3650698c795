import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

// The server's WebAssembly modules: hand-written text (.wat) in src, assembled by wabt (the
// WebAssembly Binary Toolkit, compiled to JavaScript) into a TypeScript module holding the
// binary, so the build and the published package need no toolchain and no file beside the code.

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Each .wat source and the generated module beside it. */
export const WASM_MODULES = [
  { wat: join(SRC, 'wasm', 'snappy-decode.wat'), name: 'SNAPPY_DECODE_WASM' },
  { wat: join(SRC, 'wasm', 'write-request.wat'), name: 'WRITE_REQUEST_WASM' },
].map((m) => ({ ...m, ts: m.wat.replace(/\.wat$/, '-wasm.ts') }));

/** The binary of a .wat file, as wabt assembles it. */
export async function assemble(watPath: string): Promise<Uint8Array> {
  const wabt = await initWabt();
  const mod = wabt.parseWat(basename(watPath), readFileSync(watPath, 'utf8'), { bulk_memory: true });
  try {
    mod.validate();
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

/** The TypeScript module that carries a binary. */
export function moduleText(watPath: string, name: string, binary: Uint8Array): string {
  return [
    `// Generated from ${basename(watPath)} by \`npm run build:wasm -w @tally/server\`; do not edit.`,
    `export const ${name}: Uint8Array = Buffer.from(`,
    `  '${Buffer.from(binary).toString('base64')}',`,
    `  'base64',`,
    `);`,
    '',
  ].join('\n');
}

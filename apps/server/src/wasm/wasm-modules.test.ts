import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble, moduleText, WASM_MODULES } from '../../scripts/wasm-modules.js';

describe('the generated WebAssembly modules', () => {
  for (const m of WASM_MODULES)
    it(`${m.name} is what its .wat assembles to (npm run build:wasm -w @tally/server)`, async () => {
      expect(readFileSync(m.ts, 'utf8')).toBe(moduleText(m.wat, m.name, await assemble(m.wat)));
    });
});

// Assembles every .wat module of the server into its generated TypeScript module.
// npm run build:wasm -w @tally/server
import { writeFileSync } from 'node:fs';
import { assemble, moduleText, WASM_MODULES } from './wasm-modules.js';

for (const m of WASM_MODULES) {
  writeFileSync(m.ts, moduleText(m.wat, m.name, await assemble(m.wat)));
  console.log(`wrote ${m.ts}`);
}

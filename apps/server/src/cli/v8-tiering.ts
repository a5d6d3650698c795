import { setFlagsFromString } from 'node:v8';

// V8 optimizes a function once it has used up its "interrupt budget" (bytecode executed) a few
// times. Functions with long loops that run once per head cut or checkpoint — writing a block's
// index, packing a cut, encoding a checkpoint — used it up at once and were compiled by TurboFan
// again and again in the server's first minutes, each compile costing more CPU than it saved:
// ~0.45 s of compiler time per million remote-write samples, on the cores ingest needs. Eight
// times the budget (V8's default is 67 584) leaves such code in the baseline tiers while the
// per-sample paths, run millions of times, are optimized all the same. Measured on the server's
// remote-write bench (4 × 1 M samples, 4 runs each): 3.16 µs of CPU per sample summed over the
// rounds against 3.58 (-12 %); the push bench was unchanged. Imported first by the CLI, so it
// applies before the server's code runs; a `--interrupt-budget` given to node wins.
//
// Node 20's V8 (11.3) only: from V8 12 tiering counts invocations (with Maglev in between) and
// this flag no longer exists.

/** V8 11's default interrupt budget times eight. */
const INTERRUPT_BUDGET = 8 * 67_584;

const v8Major = Number(process.versions.v8.split('.')[0]);
if (v8Major === 11 && !process.execArgv.some((a) => a.startsWith('--interrupt-budget'))) {
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}

// Shared by the SDK's benchmarks: time a case for Tally and its peer in one process, print both
// figures and the ratio. Numbers are printed, never asserted (DESIGN.md: benchmarks never gate).

export interface Row {
  readonly case: string;
  readonly unit: string;
  readonly tally: number;
  readonly peer: number;
  /** true when more is better (ops/s), false when less is better (bytes). */
  readonly higherIsBetter: boolean;
}

/** Operations per second of `op` run `batch` times per call, best of `rounds` timed rounds after a warm-up. */
export function opsPerSecond(op: (i: number) => void, batch = 200_000, rounds = 5): number {
  for (let i = 0; i < batch; i++) op(i);
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) op(i);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, batch / seconds);
  }
  return best;
}

/** Calls per second of an async `op` (a whole serialisation, say), best of `rounds`. */
export async function asyncCallsPerSecond(
  op: () => Promise<unknown>,
  calls = 20,
  rounds = 3,
): Promise<number> {
  await op();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await op();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, calls / seconds);
  }
  return best;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap bytes `build` keeps reachable, per item, measured after full GCs (needs `--expose-gc`). */
export function heapBytesPer(items: number, build: () => unknown): number {
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (kept === undefined) throw new Error('build must return what it keeps');
  return (after - before) / items;
}

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(n >= 100 ? 0 : 1);
}

/** Prints a Markdown table: case, Tally, peer, and how many times better Tally is. */
export function printTable(title: string, peerName: string, rows: readonly Row[]): void {
  const lines = [
    `### ${title}`,
    '',
    `| case | unit | Tally | ${peerName} | Tally vs ${peerName} |`,
    '|---|---|---:|---:|---:|',
    ...rows.map((r) => {
      const ratio = r.higherIsBetter ? r.tally / r.peer : r.peer / r.tally;
      return `| ${r.case} | ${r.unit} | ${fmt(r.tally)} | ${fmt(r.peer)} | ${ratio.toFixed(2)}× ${r.higherIsBetter ? 'faster' : 'smaller'} |`;
    }),
    '',
    `Node ${process.version}, ${process.platform}/${process.arch}; one process, cases interleaved.`,
  ];
  console.log(lines.join('\n'));
}

// The event loop's share of a head cut: a store fed 1 000 series × 1 000 samples at 15 s (4.2 h,
// as one remote-write bench million), then one maintenance pass (one 2-hour cut on the
// block-writer thread, the WAL checkpoint). Prints the main thread's CPU for the pass.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { labelsFromRecord } from '@tally/model';
import type { SeriesRef } from '@tally/storage';
import { openTsdb } from '../src/index.js';

const mainCpu = (): number =>
  Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
const SERIES = 1000;
const N = 1000;
for (let r = 0; r < Number(process.env['R'] ?? 8); r++) {
  const dir = mkdtempSync(`${tmpdir()}/main-cut-`);
  const db = await openTsdb({ dir, autoCompact: false, walSync: 'write', maxFutureMs: Infinity });
  const t0 = 1_700_000_000_000;
  const refs: SeriesRef[] = [];
  for (let from = 0; from < N; from += 20) {
    const app = db.appender();
    for (let s = 0; s < SERIES; s++)
      for (let i = from; i < from + 20; i++) {
        if (i === 0)
          refs[s] = app.append(
            labelsFromRecord({ __name__: `rw_bench_${s % 10}`, instance: `i${s}`, job: 'rw' }),
            t0 + i * 15_000,
            (s * 31 + i) % 977,
          );
        else app.appendByRef(refs[s]!, t0 + i * 15_000, (s * 31 + i) % 977);
      }
    await app.commit();
  }
  const c0 = mainCpu();
  const w0 = performance.now();
  await db.compact();
  console.log(
    `pass ${r}: main thread ${(mainCpu() - c0).toFixed(1)} ms, wall ${(performance.now() - w0).toFixed(1)} ms, cuts ${db.stats().headCuts ?? '?'}`,
  );
  await db.close();
  rmSync(dir, { recursive: true });
}

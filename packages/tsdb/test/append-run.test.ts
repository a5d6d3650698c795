import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { Matcher } from '@tally/storage';
import { readAll } from '@tally/storage/conformance';
import { openTsdb } from '../src/index.js';
import type { TsdbAppender } from '../src/tsdb-appender.js';
import { testDir } from './test-dir.js';

const all = [new Matcher('=~', '__name__', '.+')];
const NOW = 10_000_000;
const series = [0, 1].map((i) => labelsFromRecord({ __name__: 'run', i: String(i) }));

type Outcome = { ok: true } | { ok: false; error: string };
type Batch = { series: number; ts: number[]; vs: number[] }[];

/** Appends each sample alone through appendByRef; the outcome of every sample. */
function oneByOne(app: TsdbAppender, refs: number[], batch: Batch): Outcome[] {
  const out: Outcome[] = [];
  for (const run of batch)
    for (let i = 0; i < run.ts.length; i++) {
      try {
        app.appendByRef(refs[run.series]!, run.ts[i]!, run.vs[i]!);
        out.push({ ok: true });
      } catch (err) {
        out.push({ ok: false, error: (err as Error).name });
      }
    }
  pending.push(app.commit());
  return out;
}

/** The same through appendRunByRef, each sample it stops at appended alone, as the ingester does. */
function inRuns(app: TsdbAppender, refs: number[], batch: Batch): Outcome[] {
  const out: Outcome[] = [];
  for (const run of batch) {
    const ts = Float64Array.from(run.ts);
    const vs = Float64Array.from(run.vs);
    for (let i = 0; i < ts.length; i++) {
      const k = app.appendRunByRef(refs[run.series]!, ts, vs, i, ts.length);
      for (let j = 0; j < k; j++) out.push({ ok: true });
      i += k;
      if (i === ts.length) break;
      try {
        app.appendByRef(refs[run.series]!, ts[i]!, vs[i]!);
        out.push({ ok: true });
      } catch (err) {
        out.push({ ok: false, error: (err as Error).name });
      }
    }
  }
  pending.push(app.commit());
  return out;
}

const pending: Promise<void>[] = [];

// Timestamps that exercise every rule: in order, repeated, going back, below the cut, far
// ahead of the clock, fractional, NaN, beyond ±2^50.
const timestamp = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 3000 }) },
  { weight: 1, arbitrary: fc.constantFrom(NOW + 700_000, 1.5, Number.NaN, 2 ** 51, -(2 ** 51), -5) },
);
const batch: fc.Arbitrary<Batch> = fc.array(
  fc.record({
    series: fc.integer({ min: 0, max: 1 }),
    ts: fc.array(timestamp, { maxLength: 12 }),
    vs: fc.array(fc.constantFrom(0, 1, 2.5, Number.NaN), { minLength: 12, maxLength: 12 }),
  }),
  { maxLength: 4 },
);

describe('appendRunByRef', () => {
  it('accepts and refuses exactly what appendByRef sample by sample does, and stores the same', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 4 }), async (batches) => {
        const dbs = await Promise.all(
          [0, 1].map(async () =>
            openTsdb({ dir: await testDir(), autoCompact: false, nowMs: () => NOW, maxFutureMs: 600_000 }),
          ),
        );
        // One appender each for the whole run: its refs outlive a cut that collects the series
        // (it re-creates them from their labels), so every batch appends to known series.
        const apps = dbs.map((db) => db.appender());
        const refs = apps.map((app) => series.map((l) => app.append(l, -10, 0)));
        pending.push(...apps.map((app) => app.commit()));
        for (const b of batches) {
          // A cut between batches moves the oldest valid time, so "out of bounds" happens too.
          expect(inRuns(apps[1]!, refs[1]!, b)).toEqual(oneByOne(apps[0]!, refs[0]!, b));
          await Promise.all(pending.splice(0));
          await Promise.all(dbs.map((db) => db.cutHead(500)));
        }
        expect(await readAll(dbs[1]!, all)).toEqual(await readAll(dbs[0]!, all));
        await Promise.all(dbs.map((db) => db.close()));
      }),
      { numRuns: 60 },
    );
  });

  it('stops at a series another open appender holds, leaving it to the one-by-one path', async () => {
    const db = await openTsdb({ dir: await testDir(), autoCompact: false });
    const a = db.appender();
    const b = db.appender();
    const ref = a.append(series[0]!, 1000, 1);
    expect(b.appendRunByRef(ref, Float64Array.of(2000, 3000), Float64Array.of(2, 3), 0, 2)).toBe(0);
    b.appendByRef(ref, 2000, 2);
    await Promise.all([a.commit(), b.commit()]);
    expect(await readAll(db, all)).toEqual({
      '__name__=run,i=0': [
        [1000, 1],
        [2000, 2],
      ],
    });
    await db.close();
  });
});

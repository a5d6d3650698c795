// Random sequences of appends, commits, rollbacks, deletions, head cuts, compactions and
// reopenings against MemoryStorage (the reference model); every query must equal the model's.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { labelsFromRecord, STALE_NAN, type Labels } from '@tally/model';
import { Matcher, MemoryStorage, type Appender, type Storage } from '@tally/storage';
import { openTsdb, type Tsdb } from '../src/index.js';
import { testDir } from './test-dir.js';

const SERIES: Labels[] = [
  labelsFromRecord({ __name__: 'loss', job: 'a' }),
  labelsFromRecord({ __name__: 'loss', job: 'b' }),
  labelsFromRecord({ __name__: 'acc', job: 'a', run: '1' }),
  labelsFromRecord({ __name__: 'acc', job: 'c' }),
  labelsFromRecord({ __name__: 'up', job: 'b', env: 'prod' }),
];
const VALUES = [0, 1, -1, 2.5, 1e300, STALE_NAN, NaN, 0.1, 37.25, 123456789, -0];

type Op =
  | { kind: 'append'; series: number; dt: number; value: number; byRef: boolean; app: number }
  | { kind: 'commit'; app: number }
  | { kind: 'rollback'; app: number }
  | { kind: 'delete'; job: string; range: [number, number] | null }
  | { kind: 'cut'; fraction: number | null }
  | { kind: 'compact' }
  | { kind: 'reopen' }
  | { kind: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      series: fc.integer({ min: 0, max: SERIES.length - 1 }),
      dt: fc.integer({ min: -150, max: 60 }),
      value: fc.oneof(
        fc.constantFrom(...VALUES),
        fc.double({ noNaN: false }),
        fc.integer({ min: 0, max: 100 }),
      ),
      byRef: fc.boolean(),
      app: fc.constantFrom(0, 0, 1),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('commit' as const), app: fc.constantFrom(0, 0, 1) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rollback' as const), app: fc.constantFrom(0, 1) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      job: fc.constantFrom('a', 'b', 'c'),
      range: fc.option(
        fc
          .tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 600 }))
          .map(([a, w]): [number, number] => [a, a + w]),
        { nil: null },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cut' as const),
      fraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 400 }) }),
  },
);

const bits = (v: number): string => {
  const d = new DataView(new ArrayBuffer(8));
  d.setFloat64(0, v);
  return d.getBigUint64(0).toString(16);
};

async function dump(store: Storage, minT: number, maxT: number, matchers: Matcher[]): Promise<string[]> {
  const q = store.querier(minT, maxT);
  const out: string[] = [];
  for (const s of await q.select(matchers)) {
    const it = s.iterator();
    let line = s.labels.map((l) => `${l.name}=${l.value}`).join(',') + ':';
    while (it.next()) line += ` ${it.t}=${bits(it.v)}`;
    out.push(line);
  }
  out.push('names ' + (await q.labelNames(matchers)).join(','));
  out.push('jobs ' + (await q.labelValues('job', matchers)).join(','));
  q.close();
  return out;
}

function errorName(fn: () => void): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return (err as Error).name;
  }
}

async function run(ops: Op[], queries: [number, number][]): Promise<void> {
  const dir = await testDir('tsdb-prop-');
  const open = (): Promise<Tsdb> =>
    openTsdb({ dir, blockDurationMs: 500, autoCompact: false, walSegmentSizeBytes: 4096 });
  let db = await open();
  const model = new MemoryStorage();
  // Two appenders on each side, so batches interleave and race at commit as they may in use.
  let apps: Appender[] = [db.appender(), db.appender()];
  let modelApps: Appender[] = [model.appender(), model.appender()];
  let clock = 1000;
  // Refs each appender handed out, per series: [tsdb ref, model ref].
  let refs = [new Map<number, [number, number]>(), new Map<number, [number, number]>()];
  const compare = async (): Promise<void> => {
    const all = [new Matcher('=~', '__name__', '.+')];
    expect(await dump(db, -1e15, 1e15, all)).toEqual(await dump(model, -1e15, 1e15, all));
    for (const [a, b] of queries) {
      const m = [new Matcher('=~', 'job', 'a|b')];
      expect(await dump(db, a, b, m)).toEqual(await dump(model, a, b, m));
    }
  };
  try {
    for (const op of ops) {
      switch (op.kind) {
        case 'append': {
          const t = Math.max(0, clock + op.dt);
          const labels = SERIES[op.series]!;
          const app = apps[op.app]!;
          const modelApp = modelApps[op.app]!;
          const known = op.byRef ? refs[op.app]!.get(op.series) : undefined;
          const pair: [number, number] = [0, 0];
          const got = errorName(() =>
            known ? app.appendByRef(known[0], t, op.value) : (pair[0] = app.append(labels, t, op.value)),
          );
          if (got === 'OutOfBoundsSampleError') {
            expect(t).toBeLessThan(db.stats().headMinValidTimeMs);
            break;
          }
          expect(got).toBe(
            errorName(() =>
              known
                ? modelApp.appendByRef(known[1], t, op.value)
                : (pair[1] = modelApp.append(labels, t, op.value)),
            ),
          );
          if (!known && got === 'ok') refs[op.app]!.set(op.series, pair);
          break;
        }
        case 'commit':
          await apps[op.app]!.commit();
          await modelApps[op.app]!.commit();
          await compare();
          break;
        case 'rollback':
          apps[op.app]!.rollback();
          modelApps[op.app]!.rollback();
          break;
        case 'delete': {
          const m = [new Matcher('=', 'job', op.job)];
          if (op.range) {
            await db.deleteSeries(m, op.range[0], op.range[1]);
            await model.deleteSeries(m, op.range[0], op.range[1]);
          } else {
            await db.deleteSeries(m);
            await model.deleteSeries(m);
          }
          await compare();
          break;
        }
        case 'cut': {
          const st = db.stats();
          const before =
            op.fraction === null || st.headSamples === 0
              ? undefined
              : Math.floor(st.minTimeMs + op.fraction * (st.maxTimeMs + 1 - st.minTimeMs));
          await db.cutHead(before);
          await compare();
          break;
        }
        case 'compact':
          await db.compact();
          await compare();
          break;
        case 'reopen':
          await db.close();
          db = await open();
          apps = [db.appender(), db.appender()];
          refs = [new Map(), new Map()];
          for (const a of modelApps) a.rollback();
          modelApps = [model.appender(), model.appender()];
          await compare();
          break;
        case 'advance':
          clock += op.ms;
          break;
      }
    }
    for (let i = 0; i < 2; i++) {
      await apps[i]!.commit();
      await modelApps[i]!.commit();
    }
    await compare();
    const st = db.stats();
    const ms = model.stats();
    expect(st.numSeries).toBe(ms.numSeries);
  } finally {
    await db.close();
  }
}

describe('Tsdb against MemoryStorage', () => {
  it('answers every query like the model over random operation sequences', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 5, maxLength: 70 }),
        fc.array(
          fc
            .tuple(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 2000 }))
            .map(([a, w]): [number, number] => [a, a + w]),
          { maxLength: 2 },
        ),
        (ops, queries) => run(ops, queries),
      ),
      { numRuns: Number(process.env.TSDB_PROPERTY_RUNS ?? 60) },
    );
  });
});

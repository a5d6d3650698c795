// The one suite every Storage implementation must pass (DESIGN.md: "one shared suite run against
// every implementation of an interface"). Call it from the implementation's own test file.
import { describe, expect, it as vitestIt } from 'vitest';
import { isStaleNaN, labelsFromRecord, STALE_NAN, type Labels } from '@tally/model';
import { DuplicateSampleError, OutOfOrderSampleError, UnknownSeriesRefError } from './errors.js';
import { Matcher } from './matcher.js';
import type { Storage } from './storage.js';

export interface ConformanceOptions {
  /** Opens a fresh, empty store. */
  open(): Promise<Storage>;
  /** Closes and reopens the same store (durable implementations); omit for in-memory ones. */
  reopen?(store: Storage): Promise<Storage>;
  /**
   * Cases an implementation cannot pass because of a peer's own behaviour, by title, each with
   * the reason (printed). Only for adapters over engines Tally does not control.
   */
  readonly skip?: Readonly<Record<string, string>>;
}

const series = (name: string, extra: Record<string, string> = {}): Labels =>
  labelsFromRecord({ __name__: name, ...extra });

/**
 * Every matching series as `"name=value,…" → [t, v][]`, keys in the querier's order: what the
 * suite compares, exported so implementations' own tests read stores the same way.
 */
export async function readAll(
  store: Storage,
  matchers: Matcher[],
  minT = -1e15,
  maxT = 1e15,
): Promise<Record<string, [number, number][]>> {
  const q = store.querier(minT, maxT);
  const out: Record<string, [number, number][]> = {};
  for (const s of await q.select(matchers)) {
    const it = s.iterator();
    const samples: [number, number][] = [];
    while (it.next()) samples.push([it.t, it.v]);
    out[s.labels.map((l) => `${l.name}=${l.value}`).join(',')] = samples;
  }
  q.close();
  return out;
}

export function runStorageConformance(name: string, opts: ConformanceOptions): void {
  const it = (title: string, fn: () => Promise<void>): void => {
    const reason = opts.skip?.[title];
    if (reason === undefined) vitestIt(title, fn);
    else vitestIt.skip(`${title} (skipped for ${name}: ${reason})`, fn);
  };
  describe(`Storage conformance: ${name}`, () => {
    it('makes committed samples visible and forgets rolled-back ones', async () => {
      const store = await opts.open();
      const app = store.appender();
      app.append(series('up', { job: 'a' }), 1000, 1);
      app.append(series('up', { job: 'a' }), 2000, 2);
      await app.commit();
      app.append(series('up', { job: 'a' }), 3000, 3);
      app.rollback();
      expect(await readAll(store, [new Matcher('=', '__name__', 'up')])).toEqual({
        '__name__=up,job=a': [
          [1000, 1],
          [2000, 2],
        ],
      });
      await store.close();
    });

    it('selects with all four matcher kinds, several at once, sorted by labels', async () => {
      const store = await opts.open();
      const app = store.appender();
      for (const job of ['b', 'a', 'c'])
        app.append(series('m', { job, env: job === 'c' ? 'prod' : 'dev' }), 1000, 1);
      await app.commit();
      const keys = async (ms: Matcher[]) => Object.keys(await readAll(store, ms));
      expect(await keys([new Matcher('=', '__name__', 'm')])).toEqual([
        '__name__=m,env=dev,job=a',
        '__name__=m,env=dev,job=b',
        '__name__=m,env=prod,job=c',
      ]);
      expect(await keys([new Matcher('=', '__name__', 'm'), new Matcher('!=', 'job', 'a')])).toHaveLength(2);
      expect(await keys([new Matcher('=~', 'job', 'a|b'), new Matcher('!~', 'env', 'pr.*')])).toHaveLength(2);
      expect(await keys([new Matcher('=~', 'job', 'a'), new Matcher('=', 'nothere', '')])).toHaveLength(1);
      await store.close();
    });

    it('rejects out-of-order samples with a typed error and takes identical duplicates', async () => {
      const store = await opts.open();
      const app = store.appender();
      const l = series('x');
      app.append(l, 2000, 5);
      await app.commit();
      expect(() => app.append(l, 1000, 1)).toThrow(OutOfOrderSampleError);
      expect(() => app.append(l, 2000, 5)).not.toThrow();
      expect(() => app.append(l, 2000, 6)).toThrow(DuplicateSampleError);
      await app.commit();
      expect(await readAll(store, [new Matcher('=', '__name__', 'x')])).toEqual({
        '__name__=x': [[2000, 5]],
      });
      await store.close();
    });

    it('keeps the stale marker bit pattern', async () => {
      const store = await opts.open();
      const app = store.appender();
      app.append(series('s'), 1000, STALE_NAN);
      app.append(series('s'), 2000, NaN);
      await app.commit();
      const q = store.querier(0, 5000);
      const [s] = await q.select([new Matcher('=', '__name__', 's')]);
      const it = s!.iterator();
      expect(it.next() && isStaleNaN(it.v)).toBe(true);
      expect(it.next() && Number.isNaN(it.v) && !isStaleNaN(it.v)).toBe(true);
      q.close();
      await store.close();
    });

    it('answers label names and values, optionally under matchers', async () => {
      const store = await opts.open();
      const app = store.appender();
      app.append(series('a', { job: 'j1', x: '1' }), 1000, 1);
      app.append(series('b', { job: 'j2' }), 1000, 1);
      await app.commit();
      const q = store.querier(0, 5000);
      expect(await q.labelNames()).toEqual(['__name__', 'job', 'x']);
      expect(await q.labelValues('job')).toEqual(['j1', 'j2']);
      expect(await q.labelValues('job', [new Matcher('=', '__name__', 'b')])).toEqual(['j2']);
      q.close();
      await store.close();
    });

    it('limits reads to the querier time range (inclusive)', async () => {
      const store = await opts.open();
      const app = store.appender();
      for (let t = 0; t <= 10_000; t += 1000) app.append(series('r'), t, t / 1000);
      await app.commit();
      const got = await readAll(store, [new Matcher('=', '__name__', 'r')], 3000, 5000);
      expect(got['__name__=r']).toEqual([
        [3000, 3],
        [4000, 4],
        [5000, 5],
      ]);
      await store.close();
    });

    it('deletes series by matchers, entirely or within a time range', async () => {
      const store = await opts.open();
      const app = store.appender();
      for (let t = 1000; t <= 5000; t += 1000) {
        app.append(series('d', { job: 'gone' }), t, t);
        app.append(series('d', { job: 'kept' }), t, t);
      }
      await app.commit();
      await store.deleteSeries([new Matcher('=', 'job', 'gone')]);
      await store.deleteSeries([new Matcher('=', 'job', 'kept')], 2000, 3000);
      const got = await readAll(store, [new Matcher('=', '__name__', 'd')]);
      expect(Object.keys(got)).toEqual(['__name__=d,job=kept']);
      expect(got['__name__=d,job=kept']!.map(([t]) => t)).toEqual([1000, 4000, 5000]);
      await store.close();
    });

    it('appends by reference within an appender and refuses unknown references', async () => {
      const store = await opts.open();
      const app = store.appender();
      const ref = app.append(series('byref', { job: 'a' }), 1000, 1);
      app.appendByRef(ref, 2000, 2);
      await app.commit();
      app.appendByRef(ref, 3000, 3);
      await app.commit();
      expect(() => app.appendByRef(987_654_321, 4000, 4)).toThrow(UnknownSeriesRefError);
      expect(await readAll(store, [new Matcher('=', '__name__', 'byref')])).toEqual({
        '__name__=byref,job=a': [
          [1000, 1],
          [2000, 2],
          [3000, 3],
        ],
      });
      await store.close();
    });

    it('takes the rest of a batch after refusing one sample, and tells apart values with separators', async () => {
      const store = await opts.open();
      const app = store.appender();
      const tricky = series('sep', { a: '1,b:2' });
      const plain = series('sep', { a: '1', b: '2' });
      app.append(tricky, 2000, 1);
      app.append(plain, 2000, 2);
      expect(() => app.append(tricky, 1000, 9)).toThrow(OutOfOrderSampleError);
      app.append(plain, 3000, 3);
      await app.commit();
      expect(await readAll(store, [new Matcher('=', '__name__', 'sep')])).toEqual({
        '__name__=sep,a=1,b=2': [
          [2000, 2],
          [3000, 3],
        ],
        '__name__=sep,a=1,b:2': [[2000, 1]],
      });
      await store.close();
    });

    it('seeks forward to the first sample at or after a time, never backwards', async () => {
      const store = await opts.open();
      const app = store.appender();
      for (let t = 1000; t <= 5000; t += 1000) app.append(series('seek'), t, t / 1000);
      await app.commit();
      const q = store.querier(0, 10_000);
      const [s] = await q.select([new Matcher('=', '__name__', 'seek')]);
      const it = s!.iterator();
      expect(it.seek(2500)).toBe(true);
      expect([it.t, it.v]).toEqual([3000, 3]);
      expect(it.seek(1000)).toBe(true);
      expect(it.t).toBe(3000);
      expect(it.next()).toBe(true);
      expect(it.t).toBe(4000);
      expect(it.seek(9000)).toBe(false);
      q.close();
      await store.close();
    });

    if (opts.reopen) {
      const reopen = (store: Storage) => opts.reopen!(store);
      it('keeps committed samples and deletions across a reopen', async () => {
        let store = await opts.open();
        const app = store.appender();
        app.append(series('p', { job: 'a' }), 1000, 1.5);
        app.append(series('p', { job: 'b' }), 1000, 2.5);
        await app.commit();
        await store.deleteSeries([new Matcher('=', 'job', 'b')]);
        store = await reopen(store);
        expect(await readAll(store, [new Matcher('=', '__name__', 'p')])).toEqual({
          '__name__=p,job=a': [[1000, 1.5]],
        });
        await store.close();
      });
    }
  });
}

import { labelsFromRecord, STALE_NAN } from '@tally/model';
import type { SeriesData } from './remote-write.js';

/** mulberry32: a small seeded PRNG, so datasets are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DIFF_BASE_MS = 1_700_000_000_000;
export const DIFF_SCRAPE_MS = 15_000;
export const DIFF_SAMPLES = 480; // two hours

const LES = ['0.05', '0.1', '0.5', '1', '5', '+Inf'];

/**
 * The differential dataset: counters (with resets), gauges, a classic histogram, `up`, a series
 * that goes stale, a counter without a counter suffix. Sample times sit 2.333 s + up to 1 s of
 * jitter past each 15 s mark, so no query window boundary (queries sit 7.3 s past a mark) falls
 * on a sample — Prometheus 2.42's windows are left-closed, 3.x's left-open.
 */
export function differentialDataset(seed = 42): SeriesData[] {
  const rnd = prng(seed);
  const out: SeriesData[] = [];
  const times = (): number[] =>
    Array.from(
      { length: DIFF_SAMPLES },
      (_, i) => DIFF_BASE_MS + 2333 + i * DIFF_SCRAPE_MS + Math.floor(rnd() * 1000),
    );
  const push = (rec: Record<string, string>, ts: number[], vs: number[]): void => {
    out.push({ labels: labelsFromRecord(rec), timestamps: ts, values: vs });
  };
  for (const job of ['api', 'db', 'web']) {
    for (const instance of ['10.0.0.1:9100', '10.0.0.2:9100', '10.0.0.3:9100']) {
      for (const method of ['GET', 'POST']) {
        let v = Math.floor(rnd() * 1000);
        const vs = times().map(() => {
          if (rnd() < 0.01) v = Math.floor(rnd() * 5);
          else v += Math.floor(rnd() * 20);
          return v;
        });
        push({ __name__: 'http_requests_total', job, instance, method }, times(), vs);
      }
      let temp = 15 + rnd() * 10;
      push(
        { __name__: 'temperature_celsius', job, instance },
        times(),
        times().map(() => (temp += (rnd() - 0.5) * 0.8)),
      );
      push(
        { __name__: 'up', job, instance },
        times(),
        times().map(() => (rnd() < 0.05 ? 0 : 1)),
      );
      // Histogram: cumulative bucket counters sharing one set of timestamps.
      const ts = times();
      const counts = LES.map(() => 0);
      const series = LES.map(() => [] as number[]);
      const sums: number[] = [];
      let sum = 0;
      for (let i = 0; i < ts.length; i++) {
        const n = Math.floor(rnd() * 10);
        for (let k = 0; k < n; k++) {
          const obs = rnd() ** 2 * 3;
          sum += obs;
          LES.forEach((le, b) => {
            if (obs <= Number(le === '+Inf' ? Infinity : le)) counts[b]!++;
          });
        }
        LES.forEach((_, b) => series[b]!.push(counts[b]!));
        sums.push(sum);
      }
      LES.forEach((le, b) =>
        push({ __name__: 'request_duration_seconds_bucket', job, instance, le }, ts, series[b]!),
      );
      push({ __name__: 'request_duration_seconds_sum', job, instance }, ts, sums);
      push({ __name__: 'request_duration_seconds_count', job, instance }, ts, series[LES.length - 1]!);
      // A gauge that stops half way with a stale marker.
      const qt = times();
      const stop = 200 + Math.floor(rnd() * 200);
      // A typed array keeps the stale marker's NaN bit pattern (plain arrays may canonicalise it).
      const qv = new Float64Array(stop + 1);
      for (let i = 0; i < stop; i++) qv[i] = Math.floor(rnd() * 50);
      qv[stop] = STALE_NAN;
      out.push({
        labels: labelsFromRecord({ __name__: 'queue_length', job, instance }),
        timestamps: qt.slice(0, stop + 1),
        values: qv,
      });
    }
    let c = 0;
    push(
      { __name__: 'requests_no_suffix', job },
      times(),
      times().map(() => (c += 3)),
    );
  }
  return out;
}

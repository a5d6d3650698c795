import { labelsFromRecord } from '@tally/model';
import { prng } from '../test/support/dataset.js';
import type { SeriesData } from '../test/support/remote-write.js';

export const BENCH_START_MS = Date.UTC(2026, 0, 1);
export const BENCH_STEP_MS = 15_000;

/**
 * Like the TSDB bench's scrape dataset: 1 000 series × 1 000 samples at 15 s, half counters
 * (one metric, `bench_requests_total`, integer increments, rare resets) spread over 10 jobs,
 * half gauges.
 */
export function benchDataset(seed = 42, numSeries = 1000, samples = 1000): SeriesData[] {
  const rnd = prng(seed);
  const out: SeriesData[] = [];
  const timestamps = Float64Array.from({ length: samples }, (_, j) => BENCH_START_MS + j * BENCH_STEP_MS);
  for (let i = 0; i < numSeries; i++) {
    const values = new Float64Array(samples);
    const counter = i < numSeries / 2;
    let v = counter ? Math.floor(rnd() * 1e6) : 20 + rnd() * 60;
    const rate = 1 + Math.floor(rnd() * 100);
    for (let j = 0; j < samples; j++) {
      if (counter) v = rnd() < 0.001 ? 0 : v + Math.floor(rnd() * rate);
      else v = Math.round((v + (rnd() - 0.5) * 2) * 100) / 100;
      values[j] = v;
    }
    out.push({
      labels: labelsFromRecord({
        __name__: counter ? 'bench_requests_total' : 'bench_temperature_celsius',
        job: `job-${i % 10}`,
        instance: `host-${String(i).padStart(4, '0')}:9100`,
      }),
      timestamps,
      values,
    });
  }
  return out;
}

// The bench's reproducible datasets (seeded): the same bytes every run, here and for Prometheus.
import { labelsFromRecord, type Labels } from '@tally/model';

/** mulberry32: a small, well-known seeded PRNG. */
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

export interface BenchSeries {
  readonly labels: Labels;
  readonly kind: string;
  readonly values: Float64Array;
}

export interface Dataset {
  readonly name: string;
  readonly startMs: number;
  readonly stepMs: number;
  readonly samplesPerSeries: number;
  readonly series: BenchSeries[];
}

export const START_MS = Date.UTC(2026, 0, 1);
const STEP_MS = 15_000;

/**
 * 1 000 series × 1 000 samples at 15 s. Half are counters with integer increments (each with its
 * own rate, an occasional reset). Half are gauges, in three kinds real exporters produce: integer
 * gauges (bytes, queue lengths), gauges with two decimals (temperatures, percentages as
 * exported), and full-precision float ratios (a random walk in [0, 1]).
 */
export function scrapeDataset(seed = 42, numSeries = 1000, samples = 1000): Dataset {
  const rnd = prng(seed);
  const series: BenchSeries[] = [];
  for (let i = 0; i < numSeries; i++) {
    const values = new Float64Array(samples);
    const counter = i < numSeries / 2;
    let kind: string;
    if (counter) {
      kind = 'counter';
      const rate = 1 + Math.floor(rnd() * 100);
      let v = Math.floor(rnd() * 1e6);
      for (let j = 0; j < samples; j++) {
        if (rnd() < 0.001) v = 0;
        else v += Math.floor(rnd() * rate);
        values[j] = v;
      }
    } else {
      const g = i % 3;
      kind = ['gauge_int', 'gauge_decimal', 'gauge_float'][g]!;
      let v = g === 0 ? Math.floor(rnd() * 1e9) : g === 1 ? 20 + rnd() * 60 : rnd();
      for (let j = 0; j < samples; j++) {
        if (g === 0) v = Math.max(0, v + Math.round((rnd() - 0.5) * 1e6));
        else if (g === 1) v = Math.round((v + (rnd() - 0.5) * 2) * 100) / 100;
        else v = Math.min(1, Math.max(0, v + (rnd() - 0.5) * 0.02));
        values[j] = v;
      }
    }
    const labels = labelsFromRecord({
      __name__: counter ? `bench_events_${i % 10}_total` : `bench_${kind}_${i % 10}`,
      job: 'bench',
      kind,
      instance: `host-${String(i).padStart(4, '0')}:9100`,
    });
    series.push({ labels, kind, values });
  }
  return {
    name: 'scrape (1 000 series × 1 000 samples, 15 s)',
    startMs: START_MS,
    stepMs: STEP_MS,
    samplesPerSeries: samples,
    series,
  };
}

/**
 * An "ML run" set: 50 training runs × (train loss, eval loss) × 1 000 steps. Losses decay
 * exponentially with noise and are float32 values widened to float64, as PyTorch reports them.
 */
export function mlDataset(seed = 7, runs = 50, samples = 1000): Dataset {
  const rnd = prng(seed);
  const series: BenchSeries[] = [];
  for (let r = 0; r < runs; r++) {
    const start = 2 + rnd() * 3;
    const decay = 0.002 + rnd() * 0.004;
    const floor = 0.05 + rnd() * 0.3;
    for (const metric of ['train_loss', 'eval_loss']) {
      const noise = metric === 'train_loss' ? 0.08 : 0.02;
      const values = new Float64Array(samples);
      for (let j = 0; j < samples; j++)
        values[j] = Math.fround(floor + (start - floor) * Math.exp(-decay * j) * (1 + (rnd() - 0.5) * noise));
      series.push({
        labels: labelsFromRecord({
          __name__: metric,
          job: 'train',
          run: `run-${String(r).padStart(3, '0')}`,
        }),
        kind: 'loss',
        values,
      });
    }
  }
  return {
    name: 'ML runs (100 loss curves × 1 000 steps, float32)',
    startMs: START_MS,
    stepMs: STEP_MS,
    samplesPerSeries: samples,
    series,
  };
}

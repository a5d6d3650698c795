import { labelsFromRecord, labelsToRecord } from '@tally/model';
import { MemoryStorage } from '@tally/storage';
import { Engine, type EngineOptions } from '../src/engine/engine.js';
import type { QueryResult } from '../src/engine/result.js';

/** `{ 'm{job="a"}': [[t, v], …] }`-style fixtures into a fresh MemoryStorage. */
export async function storeOf(series: Record<string, [number, number][]>): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  const app = storage.appender();
  for (const [desc, samples] of Object.entries(series)) {
    const m = /^([^{]*)(?:\{(.*)\})?$/.exec(desc)!;
    const record: Record<string, string> = { __name__: m[1]! };
    for (const part of (m[2] ?? '').split(',').filter(Boolean)) {
      const [k, v] = part.split('=') as [string, string];
      record[k.trim()] = JSON.parse(v.trim()) as string;
    }
    if (record.__name__ === '') delete record.__name__;
    const labels = labelsFromRecord(record);
    for (const [t, v] of samples) app.append(labels, t, v);
  }
  await app.commit();
  return storage;
}

/** Samples `start + i*step` with values `f(i)` for i in [0, n). */
export function ramp(n: number, stepMs: number, f: (i: number) => number, startMs = 0): [number, number][] {
  return Array.from({ length: n }, (_, i) => [startMs + i * stepMs, f(i)]);
}

export function engineFor(storage: MemoryStorage, opts?: EngineOptions) {
  const engine = new Engine(opts);
  const factory = (a: number, b: number) => storage.querier(a, b);
  return {
    instant: (q: string, tMs: number): Promise<QueryResult> => engine.instantQuery(factory, q, tMs),
    range: (q: string, s: number, e: number, step: number): Promise<QueryResult> =>
      engine.rangeQuery(factory, q, s, e, step),
  };
}

/** An instant vector result as `{ '{job="a"}': value }`, sorted keys; labels rendered compactly. */
export function vectorOf(r: QueryResult): Record<string, number> {
  if (r.resultType !== 'vector') throw new Error(`expected a vector, got ${r.resultType}`);
  const out: Record<string, number> = {};
  for (const s of r.result) out[key(s.metric)] = s.value;
  return out;
}

export function matrixOf(r: QueryResult): Record<string, [number, number][]> {
  if (r.resultType !== 'matrix') throw new Error(`expected a matrix, got ${r.resultType}`);
  const out: Record<string, [number, number][]> = {};
  for (const s of r.result) out[key(s.metric)] = s.timestampsMs.map((t, i) => [t, s.values[i]!]);
  return out;
}

export function key(labels: Parameters<typeof labelsToRecord>[0]): string {
  const rec = labelsToRecord(labels);
  const name = rec.__name__ ?? '';
  delete rec.__name__;
  const inner = Object.keys(rec)
    .sort()
    .map((k) => `${k}="${rec[k]!}"`)
    .join(',');
  return `${name}{${inner}}`;
}

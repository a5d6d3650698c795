import { describe, expect, it } from 'vitest';
import { labelsFromRecord, labelsKey } from '@tally/model';
import { MemSeries, PRIMED_SERIES, SAMPLES_PER_CHUNK } from '../src/head/mem-series.js';
import { ChunkSampleIterator } from '../src/query/series-iterator.js';

const RANGE = 7_200_000;

function newSeries(): MemSeries {
  const labels = labelsFromRecord({ __name__: 'm', job: 'j' });
  return new MemSeries(1, labels, labelsKey(labels));
}

function samplesOf(s: MemSeries): [number, number][] {
  const it = new ChunkSampleIterator(s.snapshot(), -Infinity, Infinity, null);
  const out: [number, number][] = [];
  while (it.next()) out.push([it.t, it.v]);
  return out;
}

describe('MemSeries', () => {
  it('gives each series its own chunk list: the shared empty one is replaced, never written', () => {
    const a = newSeries();
    const b = newSeries();
    for (let i = 0; i <= 2 * SAMPLES_PER_CHUNK; i++) a.append(1000 + i, i, RANGE);
    expect(a.chunks).toHaveLength(2);
    expect(b.chunks).toHaveLength(0);
    a.clearChunks();
    expect(a.chunks).toHaveLength(0);
    b.append(1000, 1, RANGE);
    for (let i = 1; i <= SAMPLES_PER_CHUNK; i++) b.append(1000 + i, i, RANGE);
    expect(b.chunks).toHaveLength(1);
    expect(a.chunks).toHaveLength(0);
    expect(newSeries().chunks).toHaveLength(0);
    expect(samplesOf(b)).toHaveLength(SAMPLES_PER_CHUNK + 1);
  });

  it('primes the chunk-closing paths at load with a series that went through two closes', () => {
    expect(PRIMED_SERIES.chunks).toHaveLength(2);
    expect(PRIMED_SERIES.numSamples).toBe(2 * SAMPLES_PER_CHUNK + 1);
  });

  it('holds a first sample without an encoder, and reads it back', () => {
    const s = newSeries();
    s.append(1000, 1.5, RANGE);
    expect(s.open).toBeNull();
    expect(s.held).toBe(true);
    expect(s.minT).toBe(1000);
    expect(s.numSamples).toBe(1);
    expect(samplesOf(s)).toEqual([[1000, 1.5]]);
  });

  it('encodes the held sample with the second (through the one-sample scratch arrays)', () => {
    const s = newSeries();
    s.append(1000, 1.5, RANGE);
    s.append(2000, -3, RANGE);
    expect(s.held).toBe(false);
    expect(s.open?.numSamples).toBe(2);
    expect(samplesOf(s)).toEqual([
      [1000, 1.5],
      [2000, -3],
    ]);
  });

  it('closes a held sample as a one-sample chunk at a block boundary', () => {
    const s = newSeries();
    s.append(RANGE - 1, 7, RANGE);
    s.append(RANGE, 8, RANGE);
    expect(s.chunks.map((c) => c.numSamples)).toEqual([1]);
    expect(s.held).toBe(true);
    s.append(RANGE + 1, 9, RANGE);
    expect(samplesOf(s)).toEqual([
      [RANGE - 1, 7],
      [RANGE, 8],
      [RANGE + 1, 9],
    ]);
  });

  it('forgets a held sample with its chunks', () => {
    const s = newSeries();
    s.append(1000, 1, RANGE);
    s.clearChunks();
    s.numSamples = 0;
    expect(s.held).toBe(false);
    expect(s.minT).toBe(Infinity);
    expect(s.snapshot()).toEqual([]);
  });
});

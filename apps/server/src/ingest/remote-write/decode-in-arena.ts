import { align8, type Arena } from '../../wasm/arena.js';
import type { DecodedWriteRequest } from './decode-write-request.js';
import { seriesRun, type SeriesCache, type WriteSeries } from './series-cache.js';
import { decodeLabels } from './series-labels.js';

// The WebAssembly WriteRequest decoder's JavaScript half (see wasm/write-request.wat): room for
// its table and arrays after the request's bytes, then each series' labels from the cache.

const ROW = 5; // i32 per series: start, end, labels start, labels end, first sample

/**
 * Decodes the WriteRequest at [at, at + length) of the arena's memory, or returns undefined when
 * the WebAssembly decoder leaves it to the JavaScript one. What it returns is the JavaScript
 * decoder's answer for the same bytes and cache, and owns its arrays.
 */
export function decodeInArena(
  arena: Arena,
  at: number,
  length: number,
  cache: SeriesCache,
): DecodedWriteRequest | undefined {
  // On the wire a series with its labels and a sample takes over 24 bytes, a sample over 9; a
  // request that packs them tighter goes to the JavaScript decoder, which has no such bound.
  const maxSeries = Math.ceil(length / 24) + 16;
  const maxSamples = Math.ceil(length / 9) + 16;
  const table = align8(at + length);
  const ts = table + align8((maxSeries + 1) * ROW * 4);
  const vs = ts + maxSamples * 8;
  arena.reserve(vs + maxSamples * 8);
  const count = arena.writeRequest.decode(at, at + length, table, maxSeries, ts, vs, maxSamples);
  if (count < 0) return undefined;
  const memory = arena.buffer;
  const rows = new Int32Array(memory, table, (count + 1) * ROW);
  const n = rows[count * ROW + 4]!;
  const timestamps = new Float64Array(memory, ts, n).slice();
  const values = new Float64Array(memory, vs, n).slice();
  const bytes = Buffer.from(memory);
  const series: WriteSeries[] = [];
  for (let i = 0; i < count; i++) {
    const r = i * ROW;
    const from = rows[r + 2]!;
    const raw = from < 0 ? '' : bytes.toString('latin1', from, rows[r + 3]);
    let e = cache.get(raw);
    if (e === undefined) {
      e = decodeLabels(bytes, rows[r]!, rows[r + 1]!);
      cache.set(raw, e);
    }
    const first = rows[r + 4]!;
    const next = rows[r + ROW + 4]!;
    series.push(seriesRun(e, timestamps, values, first, next));
  }
  return { series, metadata: [], histogramCount: 0, sampleCount: n };
}

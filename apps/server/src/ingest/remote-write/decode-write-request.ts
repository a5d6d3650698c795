import { arenaHolding, withArena } from '../../wasm/arena.js';
import { ProtobufError, ProtobufReader } from '../protobuf-reader.js';
import { decodeInArena } from './decode-in-arena.js';
import { SeriesCache, seriesRun, type CachedSeries, type WriteSeries } from './series-cache.js';
import { decodeLabels, TAG_LABEL } from './series-labels.js';

export type { WriteSeries } from './series-cache.js';

export interface WriteMetadata {
  readonly type: string;
  readonly family: string;
  readonly help: string;
  readonly unit: string;
}

export interface DecodedWriteRequest {
  readonly series: WriteSeries[];
  readonly metadata: WriteMetadata[];
  /** Native histogram samples, which Tally does not store yet (refused, never dropped silently). */
  readonly histogramCount: number;
  readonly sampleCount: number;
}

// prometheus/prompb/types.proto MetricMetadata.MetricType
const METADATA_TYPES = [
  'unknown',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
];

// Tags (field number << 3 | wire type) of the fields read on the hot path.
const TAG_TIMESERIES = 0x0a; // WriteRequest.timeseries = 1, bytes
const TAG_METADATA = 0x1a; // WriteRequest.metadata = 3, bytes
const TAG_SAMPLE = 0x12; // TimeSeries.samples = 2, bytes
const TAG_HISTOGRAM = 0x22; // TimeSeries.histograms = 4, bytes
const TAG_VALUE = 0x09; // Sample.value = 1, fixed64 double
const TAG_TIMESTAMP = 0x10; // Sample.timestamp = 2, varint int64

/**
 * Decodes a remote-write 1.0 `prometheus.WriteRequest` (prompb/remote.proto): field 1
 * `repeated TimeSeries timeseries`, field 3 `repeated MetricMetadata metadata`. A TimeSeries
 * has `labels` (1: name=1, value=2), `samples` (2: value=1 double, timestamp=2 int64),
 * `exemplars` (3, ignored: Tally keeps no exemplars) and `histograms` (4, counted). Labels
 * with empty values are dropped and the rest sorted by name, as Prometheus' own receiver
 * treats them. Hand-written rather than protobufjs (see the README's measurement): samples go
 * straight into two typed arrays, and a series' labels are decoded once per `cache` lifetime
 * (see {@link SeriesCache}). Every read is bounds-checked; bad input throws {@link ProtobufError}.
 *
 * The usual request (series of labels and samples) is decoded in WebAssembly
 * (wasm/write-request.wat), in place when `buf` is what snappy decoded in the arena: 31 against
 * 51 ns per sample on the bench's requests (`bench/decode-micro.ts`). Anything else, and every
 * malformed request, goes to the JavaScript decoder, whose answer it is either way.
 */
export function decodeWriteRequest(buf: Buffer, cache = new SeriesCache()): DecodedWriteRequest {
  const d = decodeWriteRequestRuns(buf, cache);
  const series = d.series.map((s) => ({
    ...s,
    timestampsMs: s.timestampsMs.subarray(s.start, s.end),
    values: s.values.subarray(s.start, s.end),
    start: 0,
    end: s.end - s.start,
  }));
  return { ...d, series };
}

/**
 * {@link decodeWriteRequest} with every series' samples a run of two arrays shared by the
 * request (what the remote-write route ingests).
 */
export function decodeWriteRequestRuns(buf: Buffer, cache: SeriesCache): DecodedWriteRequest {
  const arena = arenaHolding(buf);
  if (arena !== undefined)
    return (
      decodeInArena(arena, buf.byteOffset, buf.length, cache) ??
      // The arena may have grown, which detaches `buf`: the same bytes, seen again.
      decodeInJavaScript(Buffer.from(arena.buffer, buf.byteOffset, buf.length), cache)
    );
  return (
    withArena((a) => {
      new Uint8Array(a.reserve(buf.length), 0, buf.length).set(buf);
      return decodeInArena(a, 0, buf.length, cache);
    }) ?? decodeInJavaScript(buf, cache)
  );
}

/**
 * The JavaScript decoder: the reference, and the decoder of what the WebAssembly one leaves to
 * it (see wasm/write-request.wat).
 */
export function decodeInJavaScript(buf: Buffer, cache: SeriesCache): DecodedWriteRequest {
  const d = new Decoder(buf, cache);
  const metadata: WriteMetadata[] = [];
  const starts: number[] = [];
  const entries: CachedSeries[] = [];
  readFields(d, metadata, starts, entries);
  return {
    series: seriesRuns(d, starts, entries),
    metadata,
    histogramCount: d.histograms,
    sampleCount: d.n,
  };
}

// The two loops are functions of their own with nothing after the loop: V8 optimizes a long loop
// mid-call (on-stack replacement), and code after it that had not run yet made that optimized
// code deoptimize on later requests.

/** The WriteRequest's fields: time series (their samples into the decoder's arrays) and metadata. */
function readFields(d: Decoder, metadata: WriteMetadata[], starts: number[], entries: CachedSeries[]): void {
  const r = d.r;
  while (!r.done()) {
    const tag = r.varint();
    if (tag === TAG_TIMESERIES) {
      const [start, end] = r.bytes();
      starts.push(d.n);
      entries.push(d.timeSeries(start, end));
    } else if (tag === TAG_METADATA) {
      const [start, end] = r.bytes();
      metadata.push(decodeMetadata(d.buf, start, end));
    } else r.skip(tag & 7);
  }
}

/** Each series with its run of the decoder's sample arrays. */
function seriesRuns(d: Decoder, starts: number[], entries: CachedSeries[]): WriteSeries[] {
  const series: WriteSeries[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const from = starts[i]!;
    const to = i + 1 < starts.length ? starts[i + 1]! : d.n;
    series.push(seriesRun(e, d.ts, d.vs, from, to));
  }
  return series;
}

class Decoder {
  readonly r: ProtobufReader;
  private readonly view: DataView;
  ts: Float64Array;
  vs: Float64Array;
  n = 0;
  histograms = 0;

  constructor(
    readonly buf: Buffer,
    private readonly cache: SeriesCache,
  ) {
    this.r = new ProtobufReader(buf);
    // A sample with a value and a millisecond timestamp takes 13 to 20 bytes on the wire.
    const expected = Math.min(1 << 20, Math.ceil(buf.length / 16) + 16);
    this.ts = new Float64Array(expected);
    this.vs = new Float64Array(expected);
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Reads one TimeSeries in [start, end): its samples into the arrays, its labels from the cache. */
  timeSeries(start: number, end: number): CachedSeries {
    const r = this.r;
    const resume = r.pos;
    r.pos = start;
    // The label fields' bytes: one range when they are contiguous (as every encoder writes them).
    let labelsFrom = -1;
    let labelsTo = -1;
    let split: string[] | null = null;
    while (r.pos < end) {
      const at = r.pos;
      const tag = this.buf[at]! < 0x80 ? this.buf[r.pos++]! : r.varint();
      if (tag === TAG_SAMPLE) this.sample(end);
      else if (tag === TAG_LABEL) {
        r.pos = this.within(r.bytes()[1], end);
        if (labelsTo === at) labelsTo = r.pos;
        else if (labelsFrom < 0) [labelsFrom, labelsTo] = [at, r.pos];
        else {
          split ??= [this.buf.toString('latin1', labelsFrom, labelsTo)];
          split.push(this.buf.toString('latin1', at, r.pos));
          labelsTo = -2; // never contiguous again
        }
      } else if (tag === TAG_HISTOGRAM) {
        this.within(r.bytes()[1], end);
        this.histograms++;
      } else {
        r.skip(tag & 7);
        this.within(r.pos, end);
      }
    }
    r.pos = resume;
    const raw = split
      ? split.join('')
      : labelsFrom < 0
        ? ''
        : this.buf.toString('latin1', labelsFrom, labelsTo);
    let entry = this.cache.get(raw);
    if (entry === undefined) {
      entry = decodeLabels(this.buf, start, end);
      this.cache.set(raw, entry);
    }
    return entry;
  }

  private within(pos: number, end: number): number {
    if (pos > end) throw new ProtobufError('field runs past the end of its TimeSeries');
    return pos;
  }

  /** One Sample message at the reader's position (its length prefix next). */
  private sample(seriesEnd: number): void {
    const r = this.r;
    const buf = this.buf;
    const len = r.varint();
    const end = r.pos + len;
    if (end > seriesEnd) throw new ProtobufError('sample runs past the end of its TimeSeries');
    let v = 0;
    let t = 0;
    let pos = r.pos;
    while (pos < end) {
      const tag = buf[pos]!;
      if (tag === TAG_VALUE && pos + 9 <= end) {
        v = this.view.getFloat64(pos + 1, true);
        pos += 9;
      } else if (tag === TAG_TIMESTAMP) {
        // Inline varint for the usual positive millisecond times (< 2^49, at most 7 bytes).
        let result = 0;
        let shift = 1;
        let p = pos + 1;
        let b = 0x80;
        while (p < end && p - pos <= 7 && b >= 0x80) {
          b = buf[p++]!;
          result += (b & 0x7f) * shift;
          shift *= 128;
        }
        if (b < 0x80) {
          t = result;
          pos = p;
        } else {
          r.pos = pos + 1;
          t = r.int64();
          pos = r.pos;
        }
      } else {
        r.pos = pos;
        const ftag = r.varint();
        if (ftag === TAG_VALUE) v = r.double();
        else if (ftag === TAG_TIMESTAMP) t = r.int64();
        else r.skip(ftag & 7);
        pos = r.pos;
      }
      if (pos > end) throw new ProtobufError('field runs past the end of its Sample');
    }
    r.pos = end;
    if (this.n === this.ts.length) this.grow();
    this.ts[this.n] = t;
    this.vs[this.n++] = v;
  }

  private grow(): void {
    const ts = new Float64Array(this.ts.length * 2);
    ts.set(this.ts);
    this.ts = ts;
    const vs = new Float64Array(this.vs.length * 2);
    vs.set(this.vs);
    this.vs = vs;
  }
}

function decodeMetadata(buf: Buffer, start: number, end: number): WriteMetadata {
  const r = new ProtobufReader(buf, start, end);
  let type = 'unknown';
  let family = '';
  let help = '';
  let unit = '';
  while (!r.done()) {
    const tag = r.varint();
    if (tag === 8) type = METADATA_TYPES[r.varint()] ?? 'unknown';
    else if (tag === 18) family = r.string();
    else if (tag === 34) help = r.string();
    else if (tag === 42) unit = r.string();
    else r.skip(tag & 7);
  }
  return { type, family, help, unit };
}

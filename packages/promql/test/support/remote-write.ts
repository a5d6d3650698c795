// A minimal Prometheus remote-write client for tests and benchmarks: protobuf encoding of
// WriteRequest by hand (prompb: TimeSeries=1{Label=1{name=1,value=2}, Sample=2{value=1 double,
// timestamp=2 int64}}) and snappy *block* format with literal-only chunks — valid snappy that
// any decoder accepts, without a compression dependency.
import type { Labels } from '@tally/model';

export interface SeriesData {
  readonly labels: Labels;
  readonly timestamps: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

class Writer {
  private buf = new Uint8Array(1 << 16);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    this.ensure(10);
    while (x >= 0x80n) {
      this.buf[this.length++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.length++] = Number(x);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  double(v: number): void {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.length, 8).setFloat64(0, v, true);
    this.length += 8;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const enc = new TextEncoder();

function field(w: Writer, num: number, payload: Uint8Array): void {
  w.varint((num << 3) | 2);
  w.varint(payload.length);
  w.bytes(payload);
}

/** Encodes one WriteRequest with the samples of `series` whose timestamps fall in [fromMs, toMs). */
export function encodeWriteRequest(series: readonly SeriesData[], fromMs: number, toMs: number): Uint8Array {
  const req = new Writer();
  for (const s of series) {
    const ts = new Writer();
    for (const l of s.labels) {
      const lw = new Writer();
      field(lw, 1, enc.encode(l.name));
      field(lw, 2, enc.encode(l.value));
      field(ts, 1, lw.result());
    }
    let n = 0;
    for (let i = 0; i < s.timestamps.length; i++) {
      const t = s.timestamps[i]!;
      if (t < fromMs || t >= toMs) continue;
      const sw = new Writer();
      sw.varint((1 << 3) | 1);
      sw.double(s.values[i]!);
      sw.varint(2 << 3);
      sw.varint(t);
      field(ts, 2, sw.result());
      n++;
    }
    if (n > 0) field(req, 1, ts.result());
  }
  return req.result();
}

/** Snappy block format, literals only. */
export function snappyLiteral(data: Uint8Array): Uint8Array {
  const w = new Writer();
  w.varint(data.length);
  const CHUNK = 65536;
  for (let off = 0; off < data.length; off += CHUNK) {
    const part = data.subarray(off, Math.min(off + CHUNK, data.length));
    const n = part.length - 1;
    if (n < 60) w.bytes(Uint8Array.of(n << 2));
    else if (n < 256) w.bytes(Uint8Array.of(60 << 2, n));
    else w.bytes(Uint8Array.of(61 << 2, n & 0xff, n >> 8));
    w.bytes(part);
  }
  return w.result();
}

/**
 * Sends every sample to `url` (`…/api/v1/write`) in time windows, oldest first, so each request
 * stays inside the receiver's appendable window (a TSDB head refuses samples far behind its
 * newest one).
 */
export async function remoteWrite(
  url: string,
  series: readonly SeriesData[],
  windowMs = 10 * 60_000,
): Promise<void> {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    if (s.timestamps.length === 0) continue;
    min = Math.min(min, s.timestamps[0]!);
    max = Math.max(max, s.timestamps[s.timestamps.length - 1]!);
  }
  for (let from = min; from <= max; from += windowMs) {
    const body = snappyLiteral(encodeWriteRequest(series, from, from + windowMs));
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Encoding': 'snappy',
        'Content-Type': 'application/x-protobuf',
        'X-Prometheus-Remote-Write-Version': '0.1.0',
      },
      body,
    });
    if (!res.ok) throw new Error(`remote write ${res.status}: ${await res.text()}`);
  }
}

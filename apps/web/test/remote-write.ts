// A minimal Prometheus remote-write 1.0 sender (protobuf by hand, snappy block format), used to
// backfill realistic history for the screenshots: pushes only record "now", remote write keeps
// the timestamps it is given.

import snappy from 'snappyjs';

export interface BackfillSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly (readonly [timestampMs: number, value: number])[];
}

export interface BackfillMetadata {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary';
  readonly help: string;
}

class Writer {
  private readonly bytes: number[] = [];
  varint(n: number | bigint): this {
    let v = BigInt(n);
    if (v < 0n) v += 1n << 64n;
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }
  string(field: number, s: string): this {
    const b = new TextEncoder().encode(s);
    this.tag(field, 2).varint(b.length);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  message(field: number, w: Writer): this {
    this.tag(field, 2).varint(w.bytes.length);
    for (const x of w.bytes) this.bytes.push(x);
    return this;
  }
  double(field: number, v: number): this {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, v, true);
    this.tag(field, 1);
    for (let i = 0; i < 8; i++) this.bytes.push(buf.getUint8(i));
    return this;
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const TYPE_CODE = { counter: 1, gauge: 2, histogram: 3, summary: 5 } as const;

export function encodeWriteRequest(
  series: readonly BackfillSeries[],
  metadata: readonly BackfillMetadata[],
): Uint8Array {
  const req = new Writer();
  for (const s of series) {
    const ts = new Writer();
    for (const [name, value] of Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1))) {
      ts.message(1, new Writer().string(1, name).string(2, value));
    }
    for (const [t, v] of s.samples) ts.message(2, new Writer().double(1, v).tag(2, 0).varint(t));
    req.message(1, ts);
  }
  for (const m of metadata) {
    req.message(3, new Writer().tag(1, 0).varint(TYPE_CODE[m.type]).string(2, m.name).string(4, m.help));
  }
  return req.finish();
}

export async function remoteWrite(
  url: string,
  series: readonly BackfillSeries[],
  metadata: readonly BackfillMetadata[] = [],
): Promise<void> {
  const body = snappy.compress(encodeWriteRequest(series, metadata));
  const res = await fetch(`${url}/api/v1/write`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'snappy',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body,
  });
  if (!res.ok) throw new Error(`remote write: ${res.status} ${await res.text()}`);
}

// A minimal Prometheus remote-write client for the bench: protobuf WriteRequest encoding by hand
// (prometheus/prompb/remote.proto, types.proto) and snappy block framing with literal-only
// elements (valid snappy that any decoder accepts; compression ratio is irrelevant on loopback).
import type { Dataset } from './dataset.js';

class Proto {
  private parts: number[] = [];
  private bufs: Buffer[] = [];

  private flushBytes(): void {
    if (this.parts.length > 0) this.bufs.push(Buffer.from(this.parts));
    this.parts = [];
  }

  varint(v: number): void {
    while (v >= 0x80) {
      this.parts.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.parts.push(v);
  }

  bytes(field: number, b: Buffer): void {
    this.varint((field << 3) | 2);
    this.varint(b.length);
    this.flushBytes();
    this.bufs.push(b);
  }

  double(field: number, v: number): void {
    this.varint((field << 3) | 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.flushBytes();
    this.bufs.push(b);
  }

  int64(field: number, v: number): void {
    this.varint(field << 3);
    this.varint(v);
  }

  finish(): Buffer {
    this.flushBytes();
    return Buffer.concat(this.bufs);
  }
}

/** WriteRequest for samples [from, to) of every series. */
export function encodeWriteRequest(ds: Dataset, from: number, to: number): Buffer {
  const req = new Proto();
  for (const s of ds.series) {
    const ts = new Proto();
    for (const l of s.labels) {
      const lp = new Proto();
      lp.bytes(1, Buffer.from(l.name));
      lp.bytes(2, Buffer.from(l.value));
      ts.bytes(1, lp.finish());
    }
    for (let j = from; j < to; j++) {
      const sp = new Proto();
      sp.double(1, s.values[j]!);
      sp.int64(2, ds.startMs + j * ds.stepMs);
      ts.bytes(2, sp.finish());
    }
    req.bytes(1, ts.finish());
  }
  return req.finish();
}

export function snappyLiteral(data: Buffer): Buffer {
  const out: number[] = [];
  let n = data.length;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  const parts: Buffer[] = [Buffer.from(out)];
  for (let off = 0; off < data.length; off += 65536) {
    const len = Math.min(65536, data.length - off);
    const m = len - 1;
    parts.push(
      m < 60
        ? Buffer.from([m << 2])
        : m < 256
          ? Buffer.from([60 << 2, m])
          : Buffer.from([61 << 2, m & 0xff, m >>> 8]),
    );
    parts.push(data.subarray(off, off + len));
  }
  return Buffer.concat(parts);
}

/** Sends the dataset in time order, `stepsPerRequest` timestamps of every series per request. */
export async function remoteWrite(url: string, ds: Dataset, stepsPerRequest = 10): Promise<void> {
  for (let from = 0; from < ds.samplesPerSeries; from += stepsPerRequest) {
    const body = snappyLiteral(
      encodeWriteRequest(ds, from, Math.min(ds.samplesPerSeries, from + stepsPerRequest)),
    );
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'Content-Encoding': 'snappy',
        'Content-Type': 'application/x-protobuf',
        'X-Prometheus-Remote-Write-Version': '0.1.0',
      },
    });
    if (!res.ok) throw new Error(`remote write failed: ${res.status} ${await res.text()}`);
  }
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withUncompressedBlock, compressBlock } from '../src/http/snappy-block.js';
import { decodeInArena } from '../src/ingest/remote-write/decode-in-arena.js';
import {
  decodeInJavaScript,
  decodeWriteRequest,
  type DecodedWriteRequest,
} from '../src/ingest/remote-write/decode-write-request.js';
import { SeriesCache } from '../src/ingest/remote-write/series-cache.js';
import { withArena } from '../src/wasm/arena.js';
import { buildRequests } from '../bench/remote-write-bench.js';

// The WebAssembly WriteRequest decoder against the JavaScript one, which is the reference: on any
// bytes, the same series, samples (bit for bit), metadata and counts, or the same error.

function varint(n: bigint): number[] {
  let v = BigInt.asUintN(64, n);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const bytesField = (field: number, body: number[]): number[] => [
  ...varint(BigInt((field << 3) | 2)),
  ...varint(BigInt(body.length)),
  ...body,
];
const utf8 = (s: string): number[] => [...Buffer.from(s)];

const name = fc.constantFrom('__name__', 'job', 'instance', 'a', 'le', 'zz', '');
const value = fc.constantFrom('up', 'j', 'i1', '', 'é', 'x'.repeat(130));
const label = fc
  .tuple(name, value, fc.boolean())
  .map(([n, v, swap]) =>
    bytesField(
      1,
      swap
        ? [...bytesField(2, utf8(v)), ...bytesField(1, utf8(n))]
        : [...bytesField(1, utf8(n)), ...bytesField(2, utf8(v))],
    ),
  );
const timestamp = fc.oneof(
  fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }).map(BigInt),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(0n, -1n, 2n ** 49n - 1n, 2n ** 49n, 2n ** 53n + 1n),
);
const double = fc.oneof(
  fc.double(),
  fc.constantFrom(0x7ff0000000000002n, 0x7ff8000000000001n, 0xfff8000000000000n).map((bits) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(bits);
    return b.readDoubleLE(0);
  }),
);
const sampleField = fc.oneof(
  {
    weight: 4,
    arbitrary: double.map((v) => {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(v);
      return [0x09, ...b];
    }),
  },
  { weight: 4, arbitrary: timestamp.map((t) => [0x10, ...varint(t)]) },
  { weight: 1, arbitrary: fc.constantFrom([0x18, 0x05], [0x25, 1, 2, 3, 4], [0x09, 1, 2]) },
);
const sample = fc.array(sampleField, { maxLength: 4 }).map((fs) => bytesField(2, fs.flat()));
const seriesField = fc.oneof(
  { weight: 3, arbitrary: label },
  { weight: 6, arbitrary: sample },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      bytesField(3, [1, 2, 3]),
      bytesField(4, [0x08, 1]),
      [0x28, 0x01],
      bytesField(20, [7]),
    ),
  },
);
const timeSeries = fc.array(seriesField, { maxLength: 12 }).map((fs) => bytesField(1, fs.flat()));
const topField = fc.oneof(
  { weight: 8, arbitrary: timeSeries },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      bytesField(3, [0x08, 1, ...bytesField(2, utf8('up'))]),
      [0x10, 0x01],
      bytesField(5, []),
    ),
  },
);
const request = fc.array(topField, { maxLength: 8 }).map((fs) => Buffer.from(fs.flat()));

function outcome(decode: () => DecodedWriteRequest): unknown {
  try {
    const d = decode();
    return {
      series: d.series.map((s) => {
        const values = s.values.subarray(s.start, s.end);
        return {
          labels: s.labels,
          key: s.key,
          job: s.job,
          timestamps: [...s.timestampsMs.subarray(s.start, s.end)],
          values: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('hex'),
        };
      }),
      metadata: d.metadata,
      histogramCount: d.histogramCount,
      sampleCount: d.sampleCount,
    };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const agree = (buf: Buffer): void => {
  const want = outcome(() => decodeInJavaScript(buf, new SeriesCache()));
  expect(outcome(() => decodeWriteRequest(buf, new SeriesCache()))).toEqual(want);
  const block = compressBlock(buf);
  expect(
    outcome(() => withUncompressedBlock(block, 1 << 24, (raw) => decodeWriteRequest(raw, new SeriesCache()))),
  ).toEqual(want);
};

describe('the WebAssembly WriteRequest decoder', () => {
  it('decodes what the JavaScript decoder decodes, on generated requests', () => {
    fc.assert(fc.property(request, agree), { numRuns: 2000 });
  });

  it('agrees on damaged and truncated requests', () => {
    fc.assert(
      fc.property(request, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (buf, at, byte, cut) => {
        fc.pre(buf.length > 0);
        const damaged = cut ? buf.subarray(0, at % buf.length) : Buffer.from(buf);
        if (!cut) damaged[at % buf.length] = byte;
        agree(damaged);
      }),
      { numRuns: 2000 },
    );
  });

  it("takes the bench's requests itself, with one cache across them", () => {
    const bodies = buildRequests(50, 40, 20, 2).flat();
    const a = new SeriesCache();
    const b = new SeriesCache();
    for (const body of bodies) {
      const raw = withUncompressedBlock(body, 1 << 24, (bytes) => Buffer.from(bytes));
      const inWasm = withArena((arena) => {
        Buffer.from(arena.reserve(raw.length)).set(raw);
        return decodeInArena(arena, 0, raw.length, a);
      });
      expect(inWasm).toBeDefined();
      const js = decodeInJavaScript(raw, b);
      expect(outcome(() => inWasm!)).toEqual(outcome(() => js));
    }
    expect(a.size).toBe(b.size);
  });
});

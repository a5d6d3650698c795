// Fuzzing the decoders of bytes read from disk: random and mutated inputs must end in a
// CorruptDataError or a clean result — never another exception, a crash or a hang.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { labelsFromRecord } from '@tally/model';
import { chunkIterator, ENCODING_SCALED_INT, ENCODING_XOR } from '../src/chunk/chunk-iterator.js';
import { encodeChunk } from '../src/chunk/encode-chunk.js';
import { XorChunkAppender } from '../src/chunk/xor-chunk.js';
import { CorruptDataError } from '../src/index.js';
import { ByteWriter } from '../src/encoding/byte-writer.js';
import { beginRecord, endRecord, readRecords } from '../src/wal/wal-file.js';
import {
  RECORD_SAMPLES,
  RECORD_SERIES,
  RECORD_TOMBSTONES,
  writeSamples,
  writeSeries,
  writeTombstone,
} from '../src/wal/wal-record.js';
import { Head } from '../src/head/head.js';
import { applyRecord } from '../src/head/head-records.js';
import { writeIndex } from '../src/block/index-writer.js';
import { IndexReader } from '../src/block/index-reader.js';
import { decodeTombstones, encodeTombstones } from '../src/block/tombstones.js';
import { parseChunkRecord, writeChunkRecord } from '../src/block/chunk-file.js';

/** Runs `fn`; only CorruptDataError may escape. */
function survives(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof CorruptDataError)) throw err;
  }
}

/** Bytes with a few random flips, truncations or insertions. */
const mutated = (base: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc
    .array(
      fc.tuple(fc.constantFrom('flip', 'set', 'cut', 'insert'), fc.nat(), fc.integer({ min: 0, max: 255 })),
      { minLength: 1, maxLength: 6 },
    )
    .map((edits) => {
      let b = Uint8Array.from(base);
      for (const [kind, at, byte] of edits) {
        const i = b.length === 0 ? 0 : at % b.length;
        if (kind === 'flip' && b.length > 0) b[i] = b[i]! ^ (1 << (byte % 8));
        else if (kind === 'set' && b.length > 0) b[i] = byte;
        else if (kind === 'cut') b = b.slice(0, i);
        else if (kind === 'insert') b = Uint8Array.from([...b.slice(0, i), byte, ...b.slice(i)]);
      }
      return b;
    });

function sampleChunk(encoding: number): Uint8Array {
  const n = 120;
  const ts = new Float64Array(n);
  const vs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ts[i] = 1_700_000_000_000 + i * 15_000 + (i % 3);
    vs[i] = encoding === ENCODING_XOR ? Math.sin(i) * 1e3 : 1000 + i * 3;
  }
  const c = encodeChunk(ts, vs, 0, n);
  expect(c.encoding).toBe(encoding);
  return c.bytes;
}

function drain(encoding: number, bytes: Uint8Array): void {
  const it = chunkIterator(encoding, bytes);
  let n = 0;
  while (it.next()) n++;
  expect(n).toBeLessThanOrEqual(65535);
}

describe('fuzz', () => {
  for (const encoding of [ENCODING_XOR, ENCODING_SCALED_INT]) {
    it(`chunk decoder (encoding ${encoding}) survives random and mutated bytes`, () => {
      const base = sampleChunk(encoding);
      fc.assert(
        fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), mutated(base)), (bytes) =>
          survives(() => drain(encoding, bytes)),
        ),
        { numRuns: 1500 },
      );
    });
  }

  it('chunk file records detect damage by checksum', () => {
    const w = new ByteWriter();
    const app = new XorChunkAppender();
    for (let i = 0; i < 50; i++) app.append(i * 1000, i * 1.5);
    writeChunkRecord(w, ENCODING_XOR, app.bytes());
    const base = w.finish();
    const data = app.bytes().slice();
    fc.assert(
      fc.property(mutated(base), (bytes) => {
        survives(() => {
          const c = parseChunkRecord(bytes, 'fuzz');
          // A record that still parses has exactly the checksummed encoding and data.
          expect(c.encoding).toBe(ENCODING_XOR);
          expect(Buffer.from(c.data).equals(Buffer.from(data))).toBe(true);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('WAL reader stops at damage and never applies a damaged record', () => {
    const w = new ByteWriter();
    let at = beginRecord(w, RECORD_SERIES);
    writeSeries(w, [
      { ref: 1, labels: labelsFromRecord({ __name__: 'a', job: 'x' }) },
      { ref: 2, labels: labelsFromRecord({ __name__: 'b' }) },
    ]);
    endRecord(w, at);
    at = beginRecord(w, RECORD_SAMPLES);
    writeSamples(w, 4, [1, 2, 1, 2], [1000, 1000, 2000, 2000], [1, 2, 3, 4]);
    endRecord(w, at);
    at = beginRecord(w, RECORD_TOMBSTONES);
    writeTombstone(w, [2], -Infinity, Infinity);
    endRecord(w, at);
    const base = w.finish();
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated(base)), (bytes) => {
        const head = new Head(7_200_000);
        const counts = { records: 0, samples: 0, unknownRefSamples: 0 };
        const res = readRecords(bytes, (type, r) => applyRecord(head, type, r, counts));
        expect(res.validBytes).toBeLessThanOrEqual(bytes.length);
        if (res.corruption === null) expect(res.validBytes).toBe(bytes.length);
      }),
      { numRuns: 1500 },
    );
  });

  it('index reader survives mutated indexes', () => {
    const series = ['a', 'b', 'c'].map((job, i) => ({
      labels: labelsFromRecord({ __name__: 'm', job, i: String(i) }),
      chunks: [{ minT: 1000 * i, maxT: 1000 * i + 500, ref: 8 + 40 * i, length: 40 }],
    }));
    const base = writeIndex(series);
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), mutated(base)), (bytes) =>
        survives(() => {
          const ix = new IndexReader(bytes, 'fuzz');
          for (const ref of ix.allPostings()) ix.series(ref);
          for (const values of ix.postingsTable.values()) for (const off of values.values()) ix.postings(off);
        }),
      ),
      { numRuns: 1500 },
    );
  });

  it('tombstones reader survives mutated files', () => {
    const base = encodeTombstones(
      new Map([
        [8, [0, 100, 500, 600]],
        [48, [-(2 ** 51), 2 ** 51]],
      ]),
    );
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 100 }), mutated(base)), (bytes) =>
        survives(() => decodeTombstones(bytes, 'fuzz')),
      ),
      { numRuns: 1000 },
    );
  });
});

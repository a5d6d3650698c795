import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteReader } from '../src/encoding/byte-reader.js';
import { ByteWriter } from '../src/encoding/byte-writer.js';
import { crc32c } from '../src/encoding/crc32c.js';
import { CorruptDataError } from '../src/index.js';

describe('encoding primitives', () => {
  it('writes strings as their UTF-8 bytes with a length, ASCII or not, and reads them back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }))),
        (xs) => {
          const w = new ByteWriter(4);
          for (const x of xs) w.string(x);
          const expected: number[] = [];
          for (const x of xs) {
            const b = Buffer.from(x, 'utf8');
            const len = new ByteWriter(4);
            len.uvarint(b.length);
            expected.push(...len.finish(), ...b);
          }
          expect([...w.finish()]).toEqual(expected);
          const r = new ByteReader(w.finish());
          for (const x of xs) expect(r.string()).toBe(Buffer.from(x, 'utf8').toString('utf8'));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('computes CRC-32C check values', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283); // the standard check value
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 zero bytes
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });

  it('computes CRC-32C of any range like the bit-at-a-time definition', () => {
    const bitwise = (b: Uint8Array, start: number, end: number): number => {
      let c = 0xffffffff;
      for (let i = start; i < end; i++) {
        c ^= b[i]!;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), fc.nat(), (b, x, y) => {
        const start = b.length === 0 ? 0 : x % b.length;
        const end = start + (y % (b.length - start + 1));
        expect(crc32c(b, start, end)).toBe(bitwise(b, start, end));
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips varints and uvarints over the whole safe range', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer(),
            fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
            fc.constantFrom(0, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 52),
          ),
        ),
        (xs) => {
          const w = new ByteWriter(4);
          for (const x of xs) {
            w.varint(x);
            w.uvarint(Math.abs(x));
          }
          const r = new ByteReader(w.finish());
          for (const x of xs) {
            expect(r.varint()).toBe(x);
            expect(r.uvarint()).toBe(Math.abs(x));
          }
          expect(r.remaining).toBe(0);
        },
      ),
    );
  });

  it('refuses to read past the end or an over-long varint', () => {
    expect(() => new ByteReader(Uint8Array.from([0x80, 0x80])).uvarint()).toThrow(CorruptDataError);
    expect(() => new ByteReader(new Uint8Array(9).fill(0xff)).uvarint()).toThrow(CorruptDataError);
    expect(() => new ByteReader(new Uint8Array(3)).u32()).toThrow(CorruptDataError);
  });
});

import fc from 'fast-check';
import snappyjs from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { SnappyTooLargeError, compressBlock, declaredLength, uncompressBlock } from './snappy-block.js';

describe('snappy blocks', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        expect(Buffer.compare(uncompressBlock(compressBlock(bytes), 1 << 20), Buffer.from(bytes))).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips repetitive bytes (long literals, runs and far copies)', () => {
    const piece = fc.uint8Array({ minLength: 1, maxLength: 80 });
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, fc.integer({ min: 1, max: 40 })), { maxLength: 20 }), (parts) => {
        const bytes = Buffer.concat(parts.flatMap(([p, n]) => Array.from({ length: n }, () => p)));
        expect(Buffer.compare(uncompressBlock(compressBlock(bytes), 1 << 20), bytes)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with snappyjs on damaged blocks it accepts', () => {
    const block = fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 20 }))
      .map(([p, n]) => compressBlock(Buffer.concat(Array.from({ length: n }, () => p))));
    fc.assert(
      fc.property(block, fc.nat(), fc.integer({ min: 0, max: 255 }), (b, at, value) => {
        b[at % b.length] = value;
        let ours: Buffer;
        try {
          ours = uncompressBlock(b, 1 << 16);
        } catch {
          return;
        }
        expect(Buffer.compare(ours, Buffer.from(snappyjs.uncompress(b, 1 << 16)))).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the declared length from the preamble', () => {
    expect(declaredLength(Uint8Array.of(0))).toBe(0);
    expect(declaredLength(Uint8Array.of(0x7f))).toBe(127);
    expect(declaredLength(Uint8Array.of(0x80, 0x01))).toBe(128);
    expect(declaredLength(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f))).toBe(2 ** 32 - 1);
  });

  const bad: [string, Uint8Array, RegExp][] = [
    ['an empty body', new Uint8Array(0), /ends inside its length preamble/],
    ['a truncated preamble', Uint8Array.of(0x80, 0x80), /ends inside its length preamble/],
    ['a preamble over 5 bytes', Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01), /longer than 5 bytes/],
    ['a literal running past the end', Uint8Array.of(10, 0x24, 0x61), /./],
    ['a copy before the start', Uint8Array.of(4, 0x0d, 0x01), /./],
    // snappyjs alone would return "abc\0\0\0" for this one.
    ['fewer bytes than declared', Uint8Array.of(6, 0x08, 0x61, 0x62, 0x63), /decodes to 3 bytes, not the 6/],
    [
      'more bytes than declared',
      Uint8Array.of(2, 0x08, 0x61, 0x62, 0x63),
      /more bytes than the 2 it declares/,
    ],
    [
      'a copy running past the declared length',
      Uint8Array.of(5, 0x00, 0x61, 0x05, 0x01),
      /more bytes than the 5/,
    ],
    ['literal length bytes past the end', Uint8Array.of(100, 0xf4, 0x63), /literal length runs past the end/],
    ['a 2-byte-offset copy cut short', Uint8Array.of(8, 0x00, 0x61, 0x0e, 0x01), /copy runs past the end/],
    [
      'a 4-byte-offset copy cut short',
      Uint8Array.of(8, 0x00, 0x61, 0x0f, 0x01, 0x00),
      /copy runs past the end/,
    ],
    ['a 1-byte-offset copy cut short', Uint8Array.of(8, 0x00, 0x61, 0x01), /copy runs past the end/],
    ['a copy with offset 0', Uint8Array.of(5, 0x00, 0x61, 0x01, 0x00), /offset 0/],
  ];
  for (const [what, body, message] of bad)
    it(`refuses ${what}`, () => {
      expect(() => uncompressBlock(body, 1 << 20)).toThrow(message);
    });

  it('refuses a block declaring more than the limit before decoding it', () => {
    // 4 GiB declared in 5 bytes: refused from the preamble, nothing allocated.
    const body = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00);
    expect(() => uncompressBlock(body, 1 << 20)).toThrow(SnappyTooLargeError);
    expect(() => uncompressBlock(compressBlock(new Uint8Array(100)), 99)).toThrow(
      /100 bytes is over the limit of 99/,
    );
  });

  it('never crashes on random bytes, and what it returns has the declared length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        try {
          expect(uncompressBlock(bytes, 1 << 16).length).toBe(declaredLength(bytes));
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 500 },
    );
  });
});

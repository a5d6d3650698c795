import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { declaredLength, uncompressBlock, withUncompressedBlock } from './snappy-block.js';
import { decodeElements } from './snappy-elements.js';

/** The JavaScript decoder alone: the reference. */
function reference(block: Uint8Array, maxBytes: number): Buffer | Error {
  try {
    const length = declaredLength(block);
    if (length > maxBytes)
      return new Error(`uncompressed size ${length} bytes is over the limit of ${maxBytes}`);
    let pos = 0;
    while (block[pos++]! >= 0x80);
    const out = Buffer.alloc(length);
    const at = decodeElements(block, pos, out);
    return at === length
      ? out
      : new Error(`snappy block decodes to ${at} bytes, not the ${length} it declares`);
  } catch (err) {
    return err as Error;
  }
}

function preamble(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}

/**
 * A snappy element: a literal (its length in the tag or in 1..4 bytes after it) or a copy with a
 * 1-, 2- or 4-byte offset. Offsets and lengths are drawn freely, so some elements are invalid.
 */
const element = fc.oneof(
  fc.record({
    kind: fc.constant(0 as const),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 200 }),
    lengthBytes: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({
    kind: fc.constantFrom(1 as const, 2 as const, 3 as const),
    len: fc.integer({ min: 1, max: 64 }),
    // Mostly short offsets, which the output has; sometimes past it.
    offset: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 3000 })),
  }),
);

type Element = typeof element extends fc.Arbitrary<infer E> ? E : never;

function blockOf(elements: Element[], lengthDelta: number): Uint8Array {
  const body: number[] = [];
  let produced = 0;
  for (const e of elements) {
    if (e.kind === 0) {
      const n = e.bytes.length;
      if (n <= 60 && e.lengthBytes === 0) body.push((n - 1) << 2);
      else {
        const k = Math.max(e.lengthBytes, n - 1 > 0xff ? 2 : 1);
        body.push((59 + k) << 2);
        for (let i = 0; i < k; i++) body.push(((n - 1) >>> (8 * i)) & 0xff);
      }
      body.push(...e.bytes);
      produced += n;
    } else if (e.kind === 1) {
      const len = Math.min(11, Math.max(4, e.len));
      const offset = e.offset & 0x7ff;
      body.push(1 | ((len - 4) << 2) | ((offset >>> 8) << 5), offset & 0xff);
      produced += len;
    } else {
      body.push(e.kind | ((e.len - 1) << 2), e.offset & 0xff, (e.offset >>> 8) & 0xff);
      if (e.kind === 3) body.push(0, 0);
      produced += e.len;
    }
  }
  return Uint8Array.from([...preamble(Math.max(0, produced + lengthDelta)), ...body]);
}

/** uncompressBlock gives the reference's bytes, or its error. */
function agreesWithReference(block: Uint8Array): void {
  const want = reference(block, 1 << 20);
  let got: Buffer | Error;
  try {
    got = uncompressBlock(block, 1 << 20);
  } catch (err) {
    got = err as Error;
  }
  if (want instanceof Error) expect((got as Error).message).toBe(want.message);
  else expect(got instanceof Error ? got.message : got.equals(want)).toBe(true);
}

describe('snappy decoding in WebAssembly', () => {
  it('agrees with the JavaScript decoder on any element stream, valid or not', () => {
    fc.assert(
      fc.property(
        fc.array(element, { maxLength: 40 }),
        fc.oneof(fc.constant(0), fc.integer({ min: -3, max: 3 })),
        (elements, delta) => {
          const block = blockOf(elements, delta);
          agreesWithReference(block);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with the JavaScript decoder on damaged blocks', () => {
    fc.assert(
      fc.property(
        fc.array(element, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (elements, at, value) => {
          const block = blockOf(elements, 0);
          block[at % block.length] = value;
          agreesWithReference(block);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('decodes a copy with a 4-byte offset and a literal with a 4-byte length', () => {
    const literal = Buffer.alloc(70_000, 7);
    literal[0] = 1;
    const block = Uint8Array.from([
      ...preamble(70_003),
      63 << 2,
      ...[0, 1, 0, 0].map((_, i) => ((70_000 - 1) >>> (8 * i)) & 0xff),
      ...literal,
      3 | (2 << 2),
      ...[0, 1, 0, 0].map((_, i) => (70_000 >>> (8 * i)) & 0xff),
    ]);
    const out = uncompressBlock(block, 1 << 20);
    expect(out.length).toBe(70_003);
    expect([...out.subarray(70_000)]).toEqual([1, 7, 7]);
  });

  it('decodes bodies larger than the memory it keeps, and the next small one', () => {
    const big = Buffer.alloc(20 << 20, 3);
    const block = Uint8Array.from([...preamble(big.length), 0, 3, 1 | ((8 - 4) << 2), 1]);
    const runs = Math.ceil((big.length - 9) / 64);
    const copies: number[] = [];
    let left = big.length - 9;
    for (let i = 0; i < runs; i++, left -= 64) copies.push(2 | ((Math.min(64, left) - 1) << 2), 8, 0);
    const whole = Uint8Array.from([...block, ...copies]);
    expect(withUncompressedBlock(whole, 1 << 26, (b) => b.equals(big))).toBe(true);
    expect(uncompressBlock(Uint8Array.of(3, 8, 97, 98, 99), 16).toString()).toBe('abc');
  });

  it('gives a nested call memory of its own', () => {
    const a = Uint8Array.of(3, 8, 97, 98, 99);
    const b = Uint8Array.of(2, 4, 120, 121);
    const seen = withUncompressedBlock(a, 16, (outer) => {
      const inner = withUncompressedBlock(b, 16, (bytes) => bytes.toString());
      return `${outer.toString()} ${inner}`;
    });
    expect(seen).toBe('abc xy');
  });
});

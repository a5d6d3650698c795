import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SnappyTooLargeError,
  compressBlock,
  declaredLength,
  snappyImplementation,
  uncompressBlock,
} from './snappy-block.js';

const implementations = ['native', 'js'] as const;

describe('snappy blocks', () => {
  it('loads the native implementation on this platform', () => {
    // The prebuilt binary exists for linux-x64-gnu (this machine and CI); elsewhere 'js' is fine.
    if (process.platform === 'linux' && process.arch === 'x64') expect(snappyImplementation).toBe('native');
  });

  it('round-trips any bytes through every pair of implementations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        for (const by of implementations)
          for (const from of implementations) {
            const out = await uncompressBlock(compressBlock(bytes, by), 1 << 20, from);
            expect(Buffer.compare(out, Buffer.from(bytes)), `${by} -> ${from}`).toBe(0);
          }
      }),
      { numRuns: 200 },
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
    ['fewer bytes than declared', Uint8Array.of(6, 0x08, 0x61, 0x62, 0x63), /./],
  ];
  for (const impl of implementations) {
    for (const [what, body, message] of bad)
      it(`refuses ${what} (${impl})`, async () => {
        await expect(uncompressBlock(body, 1 << 20, impl)).rejects.toThrow(message);
      });

    it(`refuses a block declaring more than the limit before decoding it (${impl})`, async () => {
      // 4 GiB declared in 5 bytes: refused from the preamble, nothing allocated.
      const body = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00);
      await expect(uncompressBlock(body, 1 << 20, impl)).rejects.toBeInstanceOf(SnappyTooLargeError);
      const ok = compressBlock(new Uint8Array(100), impl);
      await expect(uncompressBlock(ok, 99, impl)).rejects.toThrow(/100 bytes is over the limit of 99/);
    });

    it(`never crashes on random bytes (${impl})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (bytes) => {
          try {
            const out = await uncompressBlock(bytes, 1 << 16, impl);
            expect(out.length).toBe(declaredLength(bytes));
          } catch (err) {
            expect(err).toBeInstanceOf(Error);
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});

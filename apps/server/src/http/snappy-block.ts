import snappyjs from 'snappyjs';
import { decodeElements } from './snappy-elements.js';
import { decodeInWasm } from './snappy-wasm-decoder.js';

// Snappy's block format (what remote write sends; format_description.txt of google/snappy).
// Compression goes through snappyjs. Decompression is here, in one pass that checks every
// element against the declared length: snappyjs zero-fills what a truncated block leaves
// unwritten (a second pass over the body was needed to refuse those) and copies byte by byte.
// The pass runs in WebAssembly (snappy-decode.wat); a block it refuses is decoded again in
// JavaScript (snappy-elements.ts), which names the problem. On the bench's 103 KiB remote-write
// bodies (best of 12 rounds, `bench/snappy-micro.ts`): WebAssembly 50 µs a body, the JavaScript
// loop 241, snappyjs 280; in a fresh process' first round 52 against 422 (the JavaScript loop
// runs unoptimized until V8 has watched it). The napi-rs `snappy` package was slower than the
// JavaScript loop on bodies of ~30 KiB: 0.54 ms a request sync, 0.42 async.

/** A body whose declared uncompressed size is over the limit (the caller answers 413). */
export class SnappyTooLargeError extends Error {
  override readonly name = 'SnappyTooLargeError';
}

/**
 * The uncompressed length a snappy block declares in its preamble (an unsigned varint of at
 * most 32 bits). Read before decompressing, so a 20-byte body cannot make the decoder
 * allocate gigabytes.
 */
export function declaredLength(block: Uint8Array): number {
  let result = 0;
  let shift = 1;
  for (let i = 0; i < 5; i++) {
    const b = block[i];
    if (b === undefined) throw new Error('snappy block ends inside its length preamble');
    result += (b & 0x7f) * shift;
    if (b < 0x80) return result;
    shift *= 128;
  }
  throw new Error('snappy block length preamble longer than 5 bytes');
}

/**
 * Decompresses a snappy block of at most `maxBytes` uncompressed bytes and hands them to `use`,
 * which must not keep them past its return (they are reused by the next call; copy what must
 * stay). Throws {@link SnappyTooLargeError} past the limit, and an Error naming the problem for
 * a corrupt block.
 */
export function withUncompressedBlock<T>(block: Uint8Array, maxBytes: number, use: (bytes: Buffer) => T): T {
  const length = declaredLength(block);
  if (length > maxBytes)
    throw new SnappyTooLargeError(`uncompressed size ${length} bytes is over the limit of ${maxBytes}`);
  let pos = 0;
  while (block[pos++]! >= 0x80);
  const done = decodeInWasm(block, pos, length, use);
  if (done !== undefined) return done.value;
  throw corruption(block, pos, length);
}

/** Decompresses a snappy block into a Buffer of its own (see {@link withUncompressedBlock}). */
export function uncompressBlock(block: Uint8Array, maxBytes: number): Buffer {
  return withUncompressedBlock(block, maxBytes, (bytes) => Buffer.from(bytes));
}

/** The JavaScript decoder's account of what is wrong with a block the WebAssembly one refused. */
function corruption(block: Uint8Array, start: number, length: number): Error {
  try {
    const at = decodeElements(block, start, Buffer.allocUnsafe(length));
    if (at !== length) return new Error(`snappy block decodes to ${at} bytes, not the ${length} it declares`);
  } catch (err) {
    return err as Error;
  }
  return new Error('snappy block is corrupt (the JavaScript decoder accepts it: please report this body)');
}

/** Compresses `bytes` as one snappy block. */
export function compressBlock(bytes: Uint8Array): Buffer {
  const out = snappyjs.compress(bytes);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

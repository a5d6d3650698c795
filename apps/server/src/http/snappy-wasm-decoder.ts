import { align8, withArena } from '../wasm/arena.js';

// The WebAssembly side of snappy decompression (wasm/snappy-decode.wat): the compressed block at
// the start of the arena, then the output, each followed by the slack the decoder's over-copies
// need.

const SLACK = 16;

/**
 * Decodes the elements of `block` from `start` into `length` bytes and hands them to `use`. The
 * bytes live in WebAssembly memory that the next call overwrites: `use` must not keep them.
 * Returns undefined, without calling `use`, when the block is corrupt or decodes to another
 * length.
 */
export function decodeInWasm<T>(
  block: Uint8Array,
  start: number,
  length: number,
  use: (bytes: Buffer) => T,
): { value: T } | undefined {
  return withArena((arena) => {
    const dst = align8(block.length + SLACK);
    new Uint8Array(arena.reserve(dst + length + SLACK), 0, block.length).set(block);
    if (arena.snappy.decode(start, block.length, dst, length) !== length) return undefined;
    return { value: use(Buffer.from(arena.buffer, dst, length)) };
  });
}

import { SNAPPY_DECODE_WASM } from './snappy-decode-wasm.js';

// The WebAssembly side of snappy decompression (snappy-decode.wat): one instance whose memory
// holds the compressed block, then the output, each followed by the slack the decoder's
// over-copies need. Its memory grows to the largest request seen; past KEEP_BYTES the instance
// is dropped after use, so one large body does not pin its memory for the life of the process.

const SLACK = 16;
const PAGE = 65_536;
const KEEP_BYTES = 16 << 20;

// @types/node leaves the WebAssembly global to TypeScript's DOM library; what is used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
};

interface Exports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  decode(p: number, end: number, dst: number, len: number): number;
}

const compiled = new WebAssembly.Module(SNAPPY_DECODE_WASM);

let shared: Exports | undefined;
let busy = false;

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
  // A `use` that decompresses again (none does today) gets an instance of its own.
  const own = busy || shared === undefined;
  const wasm = own ? (new WebAssembly.Instance(compiled).exports as Exports) : shared!;
  const dst = align8(block.length + SLACK);
  const need = dst + length + SLACK;
  const have = wasm.memory.buffer.byteLength;
  if (need > have) wasm.memory.grow(Math.ceil((need - have) / PAGE));
  new Uint8Array(wasm.memory.buffer, 0, block.length).set(block);
  if (wasm.decode(start, block.length, dst, length) !== length) return undefined;
  const keep = wasm.memory.buffer.byteLength <= KEEP_BYTES;
  if (own && !busy && keep) shared = wasm;
  if (!own && !keep) shared = undefined;
  const wasBusy = busy;
  busy = true;
  try {
    return { value: use(Buffer.from(wasm.memory.buffer, dst, length)) };
  } finally {
    busy = wasBusy;
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

import { SNAPPY_DECODE_WASM } from './snappy-decode-wasm.js';
import { WRITE_REQUEST_WASM } from './write-request-wasm.js';

// The memory that remote write's WebAssembly decoders share: snappy decodes a body into it and
// the WriteRequest decoder reads it there, so the uncompressed bytes are never copied. Its
// memory grows to the largest request seen; past KEEP_BYTES the arena is dropped after use, so
// one large body does not pin its memory for the life of the process.

// @types/node leaves the WebAssembly global to TypeScript's DOM library; what is used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
};

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface SnappyExports {
  decode(p: number, end: number, dst: number, len: number): number;
}

export interface WriteRequestExports {
  decode(
    p: number,
    end: number,
    table: number,
    maxSeries: number,
    ts: number,
    vs: number,
    maxSamples: number,
  ): number;
}

const PAGE = 65_536;
const KEEP_BYTES = 16 << 20;
const snappyModule = new WebAssembly.Module(SNAPPY_DECODE_WASM);
const writeRequestModule = new WebAssembly.Module(WRITE_REQUEST_WASM);

export class Arena {
  readonly snappy: SnappyExports;
  readonly writeRequest: WriteRequestExports;
  private readonly memory = new WebAssembly.Memory({ initial: 2 });

  constructor() {
    const imports = { tally: { memory: this.memory } };
    this.snappy = new WebAssembly.Instance(snappyModule, imports).exports as SnappyExports;
    this.writeRequest = new WebAssembly.Instance(writeRequestModule, imports).exports as WriteRequestExports;
  }

  /** The memory, grown to at least `bytes`. Growing detaches every view of the old size. */
  reserve(bytes: number): ArrayBuffer {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    return this.memory.buffer;
  }

  get buffer(): ArrayBuffer {
    return this.memory.buffer;
  }
}

let shared: Arena | undefined;
let inUse: Arena | undefined;

/**
 * Runs `use` with an arena of its own for the call: the shared one, or a new one when the shared
 * one is in use (a nested call).
 */
export function withArena<T>(use: (arena: Arena) => T): T {
  const outer = inUse;
  const arena = outer === undefined ? (shared ??= new Arena()) : new Arena();
  inUse = arena;
  try {
    return use(arena);
  } finally {
    inUse = outer;
    if (arena === shared && arena.buffer.byteLength > KEEP_BYTES) shared = undefined;
  }
}

/** The arena in use whose memory holds `bytes`, if any. */
export function arenaHolding(bytes: Uint8Array): Arena | undefined {
  return inUse !== undefined && bytes.buffer === inUse.buffer ? inUse : undefined;
}

/** Rounds up to a multiple of 8 (the alignment of the decoders' arrays). */
export function align8(n: number): number {
  return (n + 7) & ~7;
}

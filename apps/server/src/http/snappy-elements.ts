// Snappy elements decoded in JavaScript: the reference the WebAssembly decoder is tested against,
// and what names the problem in a block the WebAssembly decoder refused.

/**
 * Decodes the elements from `start` on into `out`; returns how many bytes they produced. Its own
 * function with nothing after the loop: V8 optimizes a long loop mid-call (on-stack
 * replacement), and code after it that had not run yet made that code deoptimize on later calls.
 */
export function decodeElements(block: Uint8Array, start: number, out: Buffer): number {
  const length = out.length;
  let pos = start;
  // Bytes move four at a time through DataViews (unaligned 32-bit loads and stores): most
  // elements of a remote-write body are copies of 4 to 31 bytes.
  const src = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const dst = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const end = block.length;
  let at = 0;
  while (pos < end) {
    const tag = block[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      // A literal: 1..60 bytes in the tag, or a length of 1..4 little-endian bytes after it.
      let len = (tag >>> 2) + 1;
      if (len > 60) {
        const bytes = len - 60;
        if (pos + bytes > end) throw new Error('snappy literal length runs past the end of the block');
        len = 1;
        for (let i = 0; i < bytes; i++) len += block[pos + i]! * 2 ** (8 * i);
        pos += bytes;
      }
      if (pos + len > end) throw new Error('snappy literal runs past the end of the block');
      if (at + len > length) throw tooLong(length);
      if (len < 64) {
        let i = 0;
        for (; i + 4 <= len; i += 4) dst.setUint32(at + i, src.getUint32(pos + i));
        for (; i < len; i++) out[at + i] = block[pos + i]!;
      } else out.set(block.subarray(pos, pos + len), at);
      pos += len;
      at += len;
      continue;
    }
    // A copy of `len` bytes from `offset` bytes back in the output (overlapping: a run).
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= end) throw new Error('snappy copy runs past the end of the block');
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | block[pos++]!;
    } else if (kind === 2) {
      if (pos + 2 > end) throw new Error('snappy copy runs past the end of the block');
      len = (tag >>> 2) + 1;
      offset = block[pos]! | (block[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > end) throw new Error('snappy copy runs past the end of the block');
      len = (tag >>> 2) + 1;
      offset = (block[pos]! | (block[pos + 1]! << 8) | (block[pos + 2]! << 16)) + block[pos + 3]! * 2 ** 24;
      pos += 4;
    }
    if (offset === 0 || offset > at)
      throw new Error(`snappy copy from before the start of the output (offset ${offset} at ${at})`);
    if (at + len > length) throw tooLong(length);
    const from = at - offset;
    let i = 0;
    // Four at a time only when each source word is written before it is read (offset >= 4).
    if (offset >= 4) for (; i + 4 <= len; i += 4) dst.setUint32(at + i, dst.getUint32(from + i));
    for (; i < len; i++) out[at + i] = out[from + i]!;
    at += len;
  }
  return at;
}

function tooLong(length: number): Error {
  return new Error(`snappy block decodes to more bytes than the ${length} it declares`);
}

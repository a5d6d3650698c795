// Snappy block decompression on remote-write bodies: Tally's decoder against snappyjs.
// node --conditions=source --import tsx bench/snappy-micro.ts
import snappyjs from 'snappyjs';
import { uncompressBlock } from '../src/http/snappy-block.js';
import { buildRequests } from './remote-write-bench.js';

const bodies = buildRequests(1000, 400, 20, 4).flat();
let rawBytes = 0;
for (const b of bodies) rawBytes += uncompressBlock(b, 1 << 26).length;
const decoders = {
  tally: (b: Buffer) => uncompressBlock(b, 1 << 26),
  snappyjs: (b: Buffer) => snappyjs.uncompress(b, 1 << 26),
};
const best = { tally: Infinity, snappyjs: Infinity };
for (let round = 0; round < 12; round++)
  for (const name of ['tally', 'snappyjs'] as const) {
    const start = performance.now();
    for (const b of bodies) decoders[name](b);
    best[name] = Math.min(best[name], ((performance.now() - start) * 1000) / bodies.length);
  }
console.log(
  `snappy block, ${(rawBytes / bodies.length / 1024).toFixed(1)} KiB bodies (best of 12 rounds): tally ${best.tally.toFixed(0)} µs, snappyjs ${best.snappyjs.toFixed(0)} µs a body`,
);

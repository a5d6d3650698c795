// Snappy block decompression on remote-write bodies: Tally's WebAssembly decoder (in place, as
// remote write uses it, and copied out), its JavaScript decoder, and snappyjs.
// node --conditions=source --import tsx bench/snappy-micro.ts
import snappyjs from 'snappyjs';
import { declaredLength, uncompressBlock, withUncompressedBlock } from '../src/http/snappy-block.js';
import { decodeElements } from '../src/http/snappy-elements.js';
import { buildRequests } from './remote-write-bench.js';

const bodies = buildRequests(1000, 400, 20, 4).flat();
let rawBytes = 0;
for (const b of bodies) rawBytes += uncompressBlock(b, 1 << 26).length;
const javascript = (b: Buffer): number => {
  let pos = 0;
  while (b[pos++]! >= 0x80);
  return decodeElements(b, pos, Buffer.allocUnsafe(declaredLength(b)));
};
const decoders = {
  wasm: (b: Buffer) => withUncompressedBlock(b, 1 << 26, (raw) => raw.length),
  'wasm + copy': (b: Buffer) => uncompressBlock(b, 1 << 26),
  javascript,
  snappyjs: (b: Buffer) => snappyjs.uncompress(b, 1 << 26),
};
type Name = keyof typeof decoders;
const names = Object.keys(decoders) as Name[];
const best = Object.fromEntries(names.map((n) => [n, Infinity])) as Record<Name, number>;
const first = {} as Record<Name, number>;
for (let round = 0; round < 12; round++)
  for (const name of names) {
    const start = performance.now();
    for (const b of bodies) decoders[name](b);
    const us = ((performance.now() - start) * 1000) / bodies.length;
    if (round === 0) first[name] = us;
    best[name] = Math.min(best[name], us);
  }
console.log(
  `snappy block, ${(rawBytes / bodies.length / 1024).toFixed(1)} KiB bodies, µs a body (best of 12 rounds; first round): ` +
    names.map((n) => `${n} ${best[n].toFixed(0)} (${first[n].toFixed(0)})`).join(', '),
);

// One head cut as the remote-write bench makes it, written on this thread as the block-writer
// thread writes it, 15 times: CPU per sample (unpack, XOR decode, scaled-integer re-encode,
// index, files, garbage collection).
// node --conditions=source --import tsx bench/head-cut.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { labelsFromRecord } from '@tally/model';
import { XorChunkAppender } from '../src/chunk/xor-chunk.js';
import { cutInput, type CutSeries } from '../src/block/block-writer-thread.js';
import { packCut, unpackCut } from '../src/block/packed-cut.js';
import { writeBlock } from '../src/block/block-writer.js';

const SERIES = 1000;
const N = 480; // 2 h at 15 s
const t0 = 1_700_000_000_000;
const cut: CutSeries[] = [];
for (let s = 0; s < SERIES; s++) {
  const chunks = [];
  for (let c = 0; c < N / 120; c++) {
    const a = new XorChunkAppender();
    const ts = new Float64Array(120);
    const vs = new Float64Array(120);
    for (let j = 0; j < 120; j++) {
      const i = c * 120 + j;
      ts[j] = t0 + i * 15_000;
      vs[j] = (s * 31 + i) % 977;
    }
    for (let j = 0; j < 120; j++) a.appendAt(ts, vs, j);
    chunks.push({ bytes: a.bytes().slice(), numSamples: 120, minT: ts[0]!, maxT: ts[119]! });
  }
  cut.push({
    labels: labelsFromRecord({ __name__: `rw_bench_${s % 10}`, instance: `i${s}`, job: 'rw' }),
    chunks,
  });
}
// As the block-writer thread gets it: packed once, unpacked per cut.
const packed = packCut(cut);
const dir = mkdtempSync(`${tmpdir()}/head-cut-`);
const before = t0 + N * 15_000;
for (let r = 0; r < Number(process.env['R'] ?? 15); r++) {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  await writeBlock(
    dir,
    unpackCut(packed).map((s) => cutInput(s, before)),
    { minTime: t0, maxTime: before, level: 1, sources: [], parents: [] },
  );
  const cpu = process.cpuUsage(c0);
  console.log(
    `cut ${r}: wall ${(performance.now() - w0).toFixed(1)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms, ${(((cpu.user + cpu.system) * 1000) / (SERIES * N)).toFixed(1)} ns/sample`,
  );
}
rmSync(dir, { recursive: true });

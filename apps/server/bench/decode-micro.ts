// The event loop's decode of the remote-write bench's requests, as the route does it (snappy in
// WebAssembly, the WriteRequest decoded where snappy left it), against the JavaScript decoder
// on the same uncompressed bytes; a series cache lives across requests, as the route's does.
// ns per sample, per round (the first rounds show a fresh process' compiling).
// node --conditions=source --import tsx bench/decode-micro.ts
import { uncompressBlock, withUncompressedBlock } from '../src/http/snappy-block.js';
import {
  decodeInJavaScript,
  decodeWriteRequestRuns,
} from '../src/ingest/remote-write/decode-write-request.js';
import { SeriesCache } from '../src/ingest/remote-write/series-cache.js';
import { buildRequests } from './remote-write-bench.js';

const requests = buildRequests(1000, 1000, 20, 4).flat();
const raws = requests.map((body) => uncompressBlock(body, 64 << 20));
const samples = 1_000_000;
const wasmCache = new SeriesCache();
const jsCache = new SeriesCache();
let check = 0;
for (let r = 0; r < Number(process.env['R'] ?? 12); r++) {
  let snappyNs = 0;
  let bothNs = 0;
  let jsNs = 0;
  for (const [i, body] of requests.entries()) {
    const t0 = process.hrtime.bigint();
    withUncompressedBlock(body, 64 << 20, (raw) => raw.length);
    const t1 = process.hrtime.bigint();
    check += withUncompressedBlock(body, 64 << 20, (raw) =>
      decodeWriteRequestRuns(raw, wasmCache),
    ).sampleCount;
    const t2 = process.hrtime.bigint();
    check += decodeInJavaScript(raws[i]!, jsCache).sampleCount;
    const t3 = process.hrtime.bigint();
    snappyNs += Number(t1 - t0);
    bothNs += Number(t2 - t1);
    jsNs += Number(t3 - t2);
  }
  const ns = (x: number): string => (x / samples).toFixed(1);
  console.log(
    `round ${r}: snappy ${ns(snappyNs)}, snappy + WriteRequest ${ns(bothNs)} (WriteRequest ${ns(bothNs - snappyNs)}), JavaScript WriteRequest decoder ${ns(jsNs)} ns/sample`,
  );
}
if (check === 0) console.log('nothing decoded');

// The event loop's decode of the remote-write bench's requests: snappy, then the WriteRequest
// with a series cache that lives across requests (as the route's does). ns per sample.
import { uncompressBlock } from '../src/http/snappy-block.js';
import { decodeWriteRequest } from '../src/ingest/remote-write/decode-write-request.js';
import { SeriesCache } from '../src/ingest/remote-write/series-cache.js';
import { buildRequests } from './remote-write-bench.js';

const shards = buildRequests(1000, 1000, 20, 4);
const requests = shards.flat();
const samples = 1_000_000;
const cache = new SeriesCache();
let check = 0;
for (let r = 0; r < Number(process.env['R'] ?? 12); r++) {
  let snappyNs = 0;
  let decodeNs = 0;
  for (const body of requests) {
    const t0 = process.hrtime.bigint();
    const raw = uncompressBlock(body, 64 << 20);
    const t1 = process.hrtime.bigint();
    const d = decodeWriteRequest(raw, cache);
    const t2 = process.hrtime.bigint();
    snappyNs += Number(t1 - t0);
    decodeNs += Number(t2 - t1);
    check += d.sampleCount;
  }
  console.log(
    `round ${r}: snappy ${(snappyNs / samples).toFixed(1)} ns/sample, decode ${(decodeNs / samples).toFixed(1)} ns/sample`,
  );
}
if (check === 0) console.log('nothing decoded');

import { mkdtempSync } from 'node:fs';
import { openTsdb } from '../src/index.js';
import { scrapeDataset } from './dataset.js';
const ds = scrapeDataset();
const dir = mkdtempSync('/tmp/prof2-');
let db = await openTsdb({ dir, autoCompact: false });
const c0 = process.cpuUsage();
let t0 = performance.now();
const refs: number[] = [];
const app = db.appender();
for (let from = 0; from < 1000; from += 10) {
  for (let k = 0; k < ds.series.length; k++) {
    const s = ds.series[k]!;
    for (let j = from; j < from + 10; j++) {
      const t = ds.startMs + j * 15000;
      if (j === 0) refs[k] = app.append(s.labels, t, s.values[j]!);
      else app.appendByRef(refs[k]!, t, s.values[j]!);
    }
  }
  await app.commit();
}
let c = process.cpuUsage(c0);
console.log('ingest wall ms', performance.now() - t0, 'cpu ms', (c.user + c.system) / 1000);
await db.close();
const c1 = process.cpuUsage();
t0 = performance.now();
db = await openTsdb({ dir, autoCompact: false });
c = process.cpuUsage(c1);
console.log(
  'replay wall ms',
  performance.now() - t0,
  'cpu ms',
  (c.user + c.system) / 1000,
  db.stats().replayMs,
);
await db.close();

// The writer the crash test kills: appends committed batches forever and prints "ack <writer> <t>"
// after each commit resolves (i.e. once the batch is durable). Run by crash.test.ts.
import { labelsFromRecord } from '@tally/model';
import { openTsdb } from '../src/index.js';

const dir = process.argv[2]!;
const SERIES_PER_WRITER = 10;
const STEP_MS = 100;

export const valueOf = (writer: number, series: number, t: number): number =>
  writer * 1e9 + series * 1e6 + t / STEP_MS + 0.25;

const db = await openTsdb({
  dir,
  walSync: process.argv[3] === 'write' ? 'write' : 'fsync',
  blockDurationMs: 2000,
  walSegmentSizeBytes: 16 * 1024,
  compactionIntervalMs: 50,
});
const start = Number.isFinite(db.stats().maxTimeMs) ? db.stats().maxTimeMs + STEP_MS : 0;

async function writer(w: number): Promise<void> {
  const labels = Array.from({ length: SERIES_PER_WRITER }, (_, s) =>
    labelsFromRecord({ __name__: 'crash_test', writer: String(w), series: String(s) }),
  );
  for (let t = start; ; t += STEP_MS) {
    const app = db.appender();
    for (let s = 0; s < SERIES_PER_WRITER; s++) app.append(labels[s]!, t, valueOf(w, s, t));
    await app.commit();
    process.stdout.write(`ack ${w} ${t}\n`);
  }
}

await Promise.all([writer(0), writer(1)]);

import { mkdir, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { labelsFromRecord } from '@tally/model';
import { Matcher } from '@tally/storage';
import { readAll } from '@tally/storage/conformance';
import { ByteWriter } from '../src/encoding/byte-writer.js';
import { crc32c } from '../src/encoding/crc32c.js';
import { openTsdb } from '../src/index.js';
import { beginRecord, endRecord, readRecords } from '../src/wal/wal-file.js';
import { RECORD_SAMPLES, RECORD_SERIES, writeSamples, writeSeries } from '../src/wal/wal-record.js';
import { testDir } from './test-dir.js';

/** A record framed the format-1 way: plain type byte and a CRC-32C. */
function format1Record(w: ByteWriter, type: number, payload: (w: ByteWriter) => void): void {
  const start = w.length;
  w.u8(type);
  w.u32(0);
  payload(w);
  w.patchU32(start + 1, w.length - start - 5);
  w.u32(crc32c(w.bytes, start, w.length));
}

const labels = labelsFromRecord({ __name__: 'old_format', job: 'j' });

describe('WAL record framing', () => {
  it('reads records of both checksum formats and names the type without the flag', () => {
    const w = new ByteWriter(64);
    format1Record(w, RECORD_SERIES, (p) => writeSeries(p, [{ ref: 1, labels }]));
    const at = beginRecord(w, RECORD_SAMPLES);
    writeSamples(w, 1, [1], [1000], [2.5]);
    endRecord(w, at);
    const types: number[] = [];
    const res = readRecords(w.finish(), (type) => types.push(type));
    expect(res.corruption).toBeNull();
    expect(types).toEqual([RECORD_SERIES, RECORD_SAMPLES]);
  });

  it('detects a flipped bit in a record of either format', () => {
    for (const format of [1, 2]) {
      const w = new ByteWriter(64);
      if (format === 1) format1Record(w, RECORD_SERIES, (p) => writeSeries(p, [{ ref: 1, labels }]));
      else {
        const at = beginRecord(w, RECORD_SERIES);
        writeSeries(w, [{ ref: 1, labels }]);
        endRecord(w, at);
      }
      const bytes = w.finish().slice();
      bytes[8]! ^= 0x10;
      const res = readRecords(bytes, () => undefined);
      expect(res.corruption, `format ${format}`).toMatch(/checksum mismatch in record at byte 0/);
      expect(res.validBytes).toBe(0);
    }
  });

  it('replays a data directory whose WAL was written in format 1', async () => {
    const dir = await testDir();
    await mkdir(`${dir}/wal`, { recursive: true });
    const w = new ByteWriter(64);
    format1Record(w, RECORD_SERIES, (p) => writeSeries(p, [{ ref: 1, labels }]));
    format1Record(w, RECORD_SAMPLES, (p) => writeSamples(p, 2, [1, 1], [1000, 2000], [1, 2]));
    await writeFile(`${dir}/wal/00000000`, w.finish());
    const db = await openTsdb({ dir, autoCompact: false });
    // New records (format 2) go after the old ones; both replay on the next open.
    const app = db.appender();
    app.append(labels, 3000, 3);
    await app.commit();
    await db.close();
    const again = await openTsdb({ dir, autoCompact: false });
    const all = await readAll(again, [new Matcher('=', '__name__', 'old_format')]);
    expect(Object.values(all)[0]).toEqual([
      [1000, 1],
      [2000, 2],
      [3000, 3],
    ]);
    await again.close();
  });
});

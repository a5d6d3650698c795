import fc from 'fast-check';
import protobuf from 'protobufjs';
import { labelsKey } from '@tally/model';
import { describe, expect, it } from 'vitest';
import { ProtobufError } from '../src/ingest/protobuf-reader.js';
import { decodeWriteRequest } from '../src/ingest/remote-write/decode-write-request.js';
import { SeriesCache } from '../src/ingest/remote-write/series-cache.js';

// prompb/types.proto, with the samples/labels order of TimeSeries free so that tests can
// interleave them (Prometheus writes labels first, but the wire format allows any order).
const root = protobuf.parse(`
syntax = "proto3";
package prometheus;
message WriteRequest { repeated TimeSeries timeseries = 1; }
message Sample { double value = 1; int64 timestamp = 2; }
message Label { string name = 1; string value = 2; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }
`).root;
const WriteRequest = root.lookupType('prometheus.WriteRequest');
const Label = root.lookupType('prometheus.Label');
const Sample = root.lookupType('prometheus.Sample');

interface Msg {
  timeseries: {
    labels: { name: string; value: string }[];
    samples: { value: number; timestamp: number }[];
  }[];
}
const encode = (msg: Msg): Buffer => Buffer.from(WriteRequest.encode(WriteRequest.fromObject(msg)).finish());

function field(tag: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag, body.length]), body]);
}

describe('decodeWriteRequest: series cache', () => {
  it('decodes a series once and reuses its labels in later requests', () => {
    const cache = new SeriesCache();
    const msg = {
      timeseries: [
        {
          labels: [
            { name: '__name__', value: 'up' },
            { name: 'job', value: 'node' },
          ],
          samples: [{ value: 1, timestamp: 1000 }],
        },
      ],
    };
    const a = decodeWriteRequest(encode(msg), cache);
    msg.timeseries[0]!.samples = [{ value: 2, timestamp: 2000 }];
    const b = decodeWriteRequest(encode(msg), cache);
    expect(b.series[0]!.labels).toBe(a.series[0]!.labels);
    expect(b.series[0]!.key).toBe(labelsKey(b.series[0]!.labels));
    expect(b.series[0]!.job).toBe('node');
    expect([...b.series[0]!.values]).toEqual([2]);
    expect(cache.size).toBe(1);
  });

  it('reads labels interleaved with samples, and the same label set in another order, alike', () => {
    const l1 = Label.encode({ name: 'job', value: 'j' }).finish();
    const l2 = Label.encode({ name: '__name__', value: 'm' }).finish();
    const s1 = Sample.encode({ value: 5, timestamp: 10 }).finish();
    const s2 = Sample.encode({ value: 6, timestamp: 20 }).finish();
    const interleaved = Buffer.concat([field(0x0a, l1), field(0x12, s1), field(0x0a, l2), field(0x12, s2)]);
    const buf = field(0x0a, interleaved);
    const cache = new SeriesCache();
    const d = decodeWriteRequest(buf, cache);
    expect(d.series[0]!.labels).toEqual([
      { name: '__name__', value: 'm' },
      { name: 'job', value: 'j' },
    ]);
    expect([...d.series[0]!.timestampsMs]).toEqual([10, 20]);
    expect([...d.series[0]!.values]).toEqual([5, 6]);
    const sorted = field(0x0a, Buffer.concat([field(0x0a, l2), field(0x0a, l1), field(0x12, s1)]));
    expect(decodeWriteRequest(sorted, cache).series[0]!.key).toBe(d.series[0]!.key);
  });

  it('forgets entries unused for a whole generation', () => {
    const cache = new SeriesCache(2);
    const entry = { labels: [], key: '', job: undefined, labelsChecked: false };
    cache.set('a', entry);
    cache.set('b', entry);
    cache.set('c', entry); // a, b now the previous generation
    expect(cache.get('a')).toBe(entry); // moves back into the current one
    cache.set('d', entry); // current (c, a) full: becomes previous, b forgotten
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBe(entry);
  });
});

describe('decodeWriteRequest: bad input', () => {
  const good = encode({
    timeseries: [
      {
        labels: [
          { name: '__name__', value: 'x' },
          { name: 'job', value: 'j' },
        ],
        samples: [
          { value: 1.5, timestamp: 1700000000000 },
          { value: -2, timestamp: -5 },
        ],
      },
    ],
  });

  it.each([
    ['a truncated varint', Buffer.from([0x0a, 0xff])],
    ['a series longer than the message', Buffer.from([0x0a, 0x10, 0x0a])],
    ['a label longer than its series', Buffer.from([0x0a, 0x02, 0x0a, 0x05])],
    ['a sample longer than its series', Buffer.from([0x0a, 0x02, 0x12, 0x05, 0, 0, 0, 0, 0])],
    ['a double cut short inside its sample', Buffer.from([0x0a, 0x05, 0x12, 0x03, 0x09, 0, 0])],
    ['a timestamp varint running past its sample', Buffer.from([0x0a, 0x04, 0x12, 0x02, 0x10, 0x80])],
    ['a group wire type', Buffer.from([0x0b])],
    [
      'a duplicate label name',
      field(
        0x0a,
        Buffer.concat([
          field(0x0a, Label.encode({ name: 'b', value: '1' }).finish()),
          field(0x0a, Label.encode({ name: 'a', value: '1' }).finish()),
          field(0x0a, Label.encode({ name: 'a', value: '2' }).finish()),
        ]),
      ),
    ],
  ])('refuses %s with a ProtobufError', (_, buf) => {
    expect(() => decodeWriteRequest(buf)).toThrow(ProtobufError);
  });

  it('throws only ProtobufError on random mutations of a good message (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(good.length),
        (edits, cut) => {
          const buf = Buffer.from(good.subarray(0, Math.max(1, cut)));
          for (const [at, byte] of edits) if (at < buf.length) buf[at] = byte;
          try {
            const d = decodeWriteRequest(buf);
            for (const s of d.series) expect(s.timestampsMs.length).toBe(s.values.length);
          } catch (err) {
            expect(err).toBeInstanceOf(ProtobufError);
          }
        },
      ),
      { numRuns: 400, seed: 7 },
    );
  });

  it('agrees with protobufjs on random messages (property)', () => {
    const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
    const msg = fc.record({
      timeseries: fc.array(
        fc.record({
          labels: fc.uniqueArray(fc.record({ name, value: fc.string({ maxLength: 5 }) }), {
            selector: (l) => l.name,
            maxLength: 4,
          }),
          samples: fc.array(
            fc.record({
              value: fc.double(),
              timestamp: fc.integer({ min: -(2 ** 50), max: 2 ** 50 }),
            }),
            { maxLength: 5 },
          ),
        }),
        { maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(msg, (m) => {
        const d = decodeWriteRequest(encode(m));
        expect(d.series.length).toBe(m.timeseries.length);
        m.timeseries.forEach((ts, i) => {
          const want = ts.labels
            .filter((l) => l.value !== '')
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
          expect(d.series[i]!.labels).toEqual(want);
          expect([...d.series[i]!.timestampsMs]).toEqual(ts.samples.map((s) => s.timestamp));
          expect([...d.series[i]!.values]).toEqual(ts.samples.map((s) => s.value));
        });
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});

// The README's StatsD example, run: the outputs it shows are the outputs the code gives.
import { describe, expect, it } from 'vitest';
import { parseStatsdLine, parseStatsdPacket } from '@tally/model';

const plain = (events: readonly object[]) =>
  events.map((e) => ({ ...e, labels: { ...(e as { labels: object }).labels } }));

describe('README: StatsD line parser', () => {
  it('gives the events and errors it shows', () => {
    expect(plain(parseStatsdLine('my_counter:1|c|@0.5|#model:v1,job:train-7').events)).toEqual([
      { type: 'counter', name: 'my_counter', value: 2, labels: { model: 'v1', job: 'train-7' } },
    ]);
    expect(plain(parseStatsdLine('latency:250|ms').events)).toEqual([
      { type: 'observer', name: 'latency', value: 0.25, labels: {} },
    ]);
    const { events, errors } = parseStatsdPacket(Buffer.from('queue:-3|g\nbad line\nusers:alice|s'));
    expect(plain(events)).toEqual([
      { type: 'gauge', name: 'queue', value: -3, relative: true, labels: {} },
      { type: 'set', name: 'users', member: 'alice', labels: {} },
    ]);
    expect(errors).toEqual([
      { kind: 'sample', reason: 'malformed_line', message: 'no ":" after the metric name', line: 2 },
    ]);
  });
});

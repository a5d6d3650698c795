// Tally's own StatsD cases: where it goes past or deliberately differs from statsd_exporter,
// sets, packets, and bad input that must give a typed error, never a crash.
import { describe, expect, it } from 'vitest';
import {
  escapeStatsdLabelName,
  parseStatsdLine,
  parseStatsdPacket,
  type StatsdParseResult,
} from '@tally/model';

function summary(result: StatsdParseResult) {
  return {
    events: result.events.map((e) => ({ ...e, labels: { ...e.labels } })),
    errors: result.errors.map((e) => `${e.kind}:${e.reason}@${e.line}`),
  };
}

describe('parseStatsdLine: bad input gives a typed error', () => {
  it.each([
    ['foo:1e400|c', 'malformed_value'],
    ['foo:NaN|g', 'malformed_value'],
    ['foo:Inf|c', 'malformed_value'],
    ['foo:-Infinity|g', 'malformed_value'],
    ['foo:0x10|c', 'malformed_value'],
    ['foo:1_000|c', 'malformed_value'],
    ['foo: 1|c', 'malformed_value'],
    ['foo:|c', 'malformed_value'],
    ['foo:|s', 'malformed_value'],
    ['foo:1|c|a|b|c|d|e|f|g', 'malformed_component'],
    ['foo:1', 'not_enough_parts_after_colon'],
    ['foo', 'malformed_line'],
    [':1|c', 'malformed_line'],
    ['foo\uD800:1|c', 'malformed_line'],
    ['foo:1|x', 'illegal_event'],
    ['foo:1|C', 'illegal_event'],
    ['foo:1|c\r', 'illegal_event'],
    ['foo:1:2|s', 'invalid_extended_aggregate_type'],
    ['foo:1|c|c', 'malformed_container_id'],
    ['foo:1|c|x', 'invalid_sample_factor'],
    ['[a=b]:1|c', 'malformed_line'],
    [',a=b:1|c', 'malformed_line'],
  ])('%j → %s', (line, reason) => {
    const result = parseStatsdLine(line);
    expect(result.events).toEqual([]);
    expect(result.errors.map((e) => e.reason)).toEqual([reason]);
    expect(result.errors[0]!.message).not.toBe('');
    expect(result.errors[0]!.line).toBe(1);
  });

  it('refuses sample rates outside (0, 1] and counts the value once', () => {
    for (const rate of ['2', '-0.5', '1.0001', 'x', '']) {
      const result = parseStatsdLine(`foo:3|c|@${rate}`);
      expect(summary(result)).toEqual({
        events: [{ type: 'counter', name: 'foo', value: 3, labels: {} }],
        errors: ['sample:invalid_sample_factor@1'],
      });
    }
  });

  it('caps how many observations a tiny sample rate expands to', () => {
    const result = parseStatsdLine('foo:5|ms|@1e-9');
    expect(result.events).toHaveLength(1000);
    expect(result.errors.map((e) => e.reason)).toEqual(['sample_rate_limited']);
    const few = parseStatsdLine('foo:5|h|@0.01', { maxObservationsPerSample: 10 });
    expect(few.events).toHaveLength(10);
    expect(() => parseStatsdLine('foo:1|c', { maxObservationsPerSample: 0 })).toThrow(
      /maxObservationsPerSample/,
    );
  });

  it('refuses a name that is only tags, still counting a bad tag', () => {
    expect(summary(parseStatsdLine('#foo:100|c|#tag1:bar'))).toEqual({
      events: [],
      errors: ['tag:malformed_tag@1', 'sample:malformed_line@1'],
    });
  });

  it('keeps ] before [ as part of the name with a tag error (statsd_exporter would panic)', () => {
    expect(summary(parseStatsdLine(']x[:1|c'))).toEqual({
      events: [{ type: 'counter', name: ']x[', value: 1, labels: {} }],
      errors: ['tag:unbalanced_signalfx_brackets@1'],
    });
  });
});

describe('parseStatsdLine: what Tally accepts', () => {
  it.each([
    ['decrement', 'jobs:-1|c', [{ type: 'counter', name: 'jobs', value: -1, labels: {} }]],
    ['relative gauge up', 'q:+3|g', [{ type: 'gauge', name: 'q', value: 3, relative: true, labels: {} }]],
    ['absolute gauge', 'q:3.5e1|g', [{ type: 'gauge', name: 'q', value: 35, relative: false, labels: {} }]],
    ['set', 'users:alice|s', [{ type: 'set', name: 'users', member: 'alice', labels: {} }]],
    [
      'set with tags and rate (rate ignored)',
      'users:42|s|@0.5|#env:prod',
      [{ type: 'set', name: 'users', member: '42', labels: { env: 'prod' } }],
    ],
    ['distribution', 'd:.5|d', [{ type: 'observer', name: 'd', value: 0.5, labels: {} }]],
    [
      'multi-value line',
      'a:1|c:2|g',
      [
        { type: 'counter', name: 'a', value: 1, labels: {} },
        { type: 'gauge', name: 'a', value: 2, relative: false, labels: {} },
      ],
    ],
    [
      'job attribution tag',
      'loss:0.25|g|#job:train-7,container_name:abc',
      [
        {
          type: 'gauge',
          name: 'loss',
          value: 0.25,
          relative: false,
          labels: { job: 'train-7', container_name: 'abc' },
        },
      ],
    ],
  ])('%s', (_name, line, events) => {
    const result = parseStatsdLine(line);
    expect(summary(result)).toEqual({ events, errors: [] });
  });

  it('treats a __proto__ tag as an ordinary label', () => {
    const result = parseStatsdLine('foo:1|c|#__proto__:x,constructor:y');
    expect(result.errors).toEqual([]);
    const labels = result.events[0]!.labels;
    expect(Object.keys(labels).sort()).toEqual(['__proto__', 'constructor']);
    expect(labels.__proto__).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('honours the dialect switches', () => {
    const off = { dogstatsd: false, influxdb: false, librato: false, signalfx: false };
    expect(parseStatsdLine('a,b=c:1|c|#d:e', off).events[0]).toMatchObject({ name: 'a,b=c', labels: {} });
    expect(parseStatsdLine('a#b=c:1|c', { librato: false }).events[0]).toMatchObject({ name: 'a#b=c' });
  });
});

describe('escapeStatsdLabelName', () => {
  it.each([
    ['ok_name', 'ok_name'],
    ['09digits', '_09digits'],
    ['tag.with.dots', 'tag_with_dots'],
    ['a--b', 'a_b'],
    ['a---b-c', 'a_b_c'],
    ['é', '_'],
    ['😀x', '_x'],
    ['', ''],
  ])('%j → %j', (key, label) => {
    expect(escapeStatsdLabelName(key)).toBe(label);
  });
});

describe('parseStatsdPacket', () => {
  it('parses every line and numbers errors by line', () => {
    const packet = 'a:1|c\nbad\n\nb:2|g|#k:v\n';
    expect(summary(parseStatsdPacket(packet))).toEqual({
      events: [
        { type: 'counter', name: 'a', value: 1, labels: {} },
        { type: 'gauge', name: 'b', value: 2, relative: false, labels: { k: 'v' } },
      ],
      errors: ['sample:malformed_line@2'],
    });
  });

  it('refuses only the line with invalid UTF-8 bytes', () => {
    const bytes = Buffer.concat([
      Buffer.from('a:1|c\nb'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(':1|c\nc:2|c'),
    ]);
    expect(summary(parseStatsdPacket(bytes))).toEqual({
      events: [
        { type: 'counter', name: 'a', value: 1, labels: {} },
        { type: 'counter', name: 'c', value: 2, labels: {} },
      ],
      errors: ['sample:malformed_line@2'],
    });
  });

  it('keeps a leading byte-order mark as part of the name', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a:1|c')]);
    expect(parseStatsdPacket(bytes).events[0]!.name).toBe('\uFEFFa');
  });

  it('accepts a Uint8Array as well as a Buffer', () => {
    const result = parseStatsdPacket(new TextEncoder().encode('x:5|ms'));
    expect(result.events).toEqual([{ type: 'observer', name: 'x', value: 0.005, labels: {} }]);
  });
});

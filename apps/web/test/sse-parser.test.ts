import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/lib/sse-parser.js';

describe('SseParser', () => {
  it('parses events, multi-line data, comments and ids', () => {
    const p = new SseParser();
    const events = p.push(
      ': keep-alive\n\nevent: samples\ndata: {"a":\ndata: 1}\nid: 7\n\nevent: ping\ndata:\n\ndata: plain\n\n',
    );
    expect(events).toEqual([
      { event: 'samples', data: '{"a":\n1}', id: '7' },
      { event: 'ping', data: '', id: '7' },
      { event: 'message', data: 'plain', id: '7' },
    ]);
  });

  it('does not dispatch an event without data, and resets its type', () => {
    const p = new SseParser();
    expect(p.push('event: x\n\ndata: y\n\n')).toEqual([{ event: 'message', data: 'y', id: '' }]);
  });

  it('gives the same events however the stream is chunked, with any line ending', () => {
    const body = 'event: samples\r\ndata: one\r\n\r\nevent: samples\rdata: two\r\rdata: three\n\n';
    const whole = new SseParser().push(body);
    expect(whole.map((e) => e.data)).toEqual(['one', 'two', 'three']);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: body.length }), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const p = new SseParser();
        const got = [];
        let prev = 0;
        for (const c of [...points, body.length]) {
          got.push(...p.push(body.slice(prev, c)));
          prev = c;
        }
        expect(got).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});

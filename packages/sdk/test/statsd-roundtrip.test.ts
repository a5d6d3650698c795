// Property: every line the StatsD client can emit is read by @tally/model's parser (all
// dialects on, as the server runs it) as exactly the event the call meant.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeStatsdLabelName, parseStatsdPacket } from '@tally/model';
import { StatsdClient } from '../src/statsd/statsd-client.js';

const LONE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const expectedName = (s: string) => s.replace(new RegExp(`[:|,#[\\]\\n\\r]|${LONE}`, 'g'), '_');
const expectedKey = (s: string) =>
  escapeStatsdLabelName(s.replace(new RegExp(`[:|,#\\n\\r]|${LONE}`, 'g'), '_'));
const expectedTagValue = (s: string) => s.replace(new RegExp(`[|,\\n\\r]|${LONE}`, 'g'), '_');
const expectedMember = (s: string) => s.replace(new RegExp(`[:|\\n\\r]|${LONE}`, 'g'), '_');
const zero = (v: number) => v + 0; // -0 is sent as "0"; the parser's arithmetic then applies

type Method =
  'increment' | 'decrement' | 'gauge' | 'gaugeDelta' | 'histogram' | 'timing' | 'distribution' | 'set';

const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
interface Call {
  method: Method;
  name: string;
  value: number;
  member: string | number;
  tags: [string, string][];
  keywordForm: boolean;
}
type Expected = Record<string, unknown>;

const call: fc.Arbitrary<Call> = fc.record({
  method: fc.constantFrom<Method>(
    'increment',
    'decrement',
    'gauge',
    'gaugeDelta',
    'histogram',
    'timing',
    'distribution',
    'set',
  ),
  name: text,
  value: fc.double({ noNaN: true, noDefaultInfinity: true }),
  member: fc.oneof(text, fc.integer()),
  tags: fc.array(fc.tuple(text, fc.string({ unit: 'binary', maxLength: 12 })), { maxLength: 4 }),
  keywordForm: fc.boolean(),
});

function expected(c: Call, prefix: string, rate: number): Expected[] {
  const name = expectedName(prefix + c.name);
  switch (c.method) {
    case 'increment':
      return [{ type: 'counter', name, value: zero(c.value) / rate }];
    case 'decrement':
      return [{ type: 'counter', name, value: zero(-c.value) / rate }];
    case 'gauge':
      return c.value < 0
        ? [
            { type: 'gauge', name, value: 0, relative: false },
            { type: 'gauge', name, value: c.value, relative: true },
          ]
        : [{ type: 'gauge', name, value: zero(c.value), relative: false }];
    case 'gaugeDelta':
      return [{ type: 'gauge', name, value: zero(c.value), relative: true }];
    case 'set':
      return [{ type: 'set', name, member: expectedMember(String(c.member)) }];
    default: {
      const value = c.method === 'timing' ? zero(c.value) / 1000 : zero(c.value);
      const copies = Math.min(Math.trunc(1 / rate), 1000);
      return Array.from({ length: copies }, (): Expected => ({ type: 'observer', name, value }));
    }
  }
}

function run(rate: number, runs: number): void {
  fc.assert(
    fc.property(
      fc.array(call, { minLength: 1, maxLength: 8 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/),
      fc.constantFrom('', 'app.'),
      (calls, jobId, prefix) => {
        const client = new StatsdClient({
          mock: true,
          env: { TALLY_JOB_ID: jobId },
          prefix,
          sampleRate: rate,
        });
        const want: unknown[] = [];
        for (const c of calls) {
          const tags: Record<string, string> = Object.fromEntries(c.tags);
          const labels = Object.create(null) as Record<string, string>; // a `__proto__` tag is a label
          labels.job = jobId;
          for (const [k, v] of Object.entries(tags))
            if (v !== '') labels[expectedKey(k)] = expectedTagValue(v);
          const before = client.mockBuffer.length;
          if (c.method === 'set') client.set(c.name, c.member, tags);
          else if (c.keywordForm) client[c.method]({ metric: c.name, value: c.value, tags });
          else client[c.method](c.name, c.value, tags);
          if (client.mockBuffer.length === before) {
            expect(rate).toBeLessThan(1); // only sampling may skip a call
            continue;
          }
          const effectiveRate = c.method === 'set' || c.method.startsWith('gauge') ? 1 : rate;
          for (const e of expected(c, prefix, effectiveRate)) want.push({ ...e, labels: { ...labels } });
        }
        expect(client.droppedLines).toBe(0);
        const parsed = parseStatsdPacket(client.mockBuffer.join('\n'));
        expect(parsed.errors).toEqual([]);
        expect(parsed.events.map((e) => ({ ...e, labels: { ...e.labels } }))).toEqual(want);
      },
    ),
    { numRuns: runs },
  );
}

describe('StatsD client → model parser round trip', () => {
  it('every call gives the intended event (no sampling)', () => run(1, 400));
  it('every call gives the intended event (sample rate 0.25)', () => run(0.25, 150));
});

import { writeOpenMetrics, writePrometheusText } from '@tally/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Registry } from '../src/index.js';
import { REORDER_AT } from '../src/metrics/level-order.js';

describe('series tree', () => {
  it('reorders its levels by cardinality past a threshold and keeps every series reachable', async () => {
    const r = new Registry();
    // `id` sorts first but has a value per series: it should end up as the last level.
    const c = new Counter({ name: 'c', help: 'h', labelNames: ['method', 'id'], registers: [r] });
    const held = c.labels('get', 'id-0');
    const n = REORDER_AT[0]! + 10;
    for (let i = 0; i < n; i++) c.inc({ method: i % 2 ? 'get' : 'post', id: `id-${i}` }, i);
    expect(c._levelToSorted).toEqual([1, 0]); // levels: method, then id
    expect(c.labels('get', 'id-0')).toBe(held);
    expect(held.get()).toBe(0);
    expect(c.labels({ id: 'id-7', method: 'get' }).get()).toBe(7);
    c.inc({ method: 'get', id: 'id-7' });
    expect(c.labels('get', 'id-7').get()).toBe(8);
    c.remove('post', 'id-8');
    expect(c.seriesSize).toBe(n); // n created + the held one - the removed one
    const text = await r.metrics();
    expect(text).toContain('c_total{id="id-7",method="get"} 8\n'); // labels still in name order
    expect(text).not.toContain('id="id-8"');
    const families = await r.collect();
    expect(text).toBe(writePrometheusText(families));
    expect(await r.metrics('openmetrics')).toBe(writeOpenMetrics(families));
    // Default labels interleave with reordered levels in name order, and fill empty values.
    r.setDefaultLabels({ job: 'j', method: 'dflt', a: 'first' });
    c.inc({ id: 'no-method' });
    const withDefaults = await r.metrics();
    expect(withDefaults).toContain('c_total{a="first",id="id-7",job="j",method="get"} 8\n');
    expect(withDefaults).toContain('c_total{a="first",id="no-method",job="j",method="dflt"} 1\n');
    expect(withDefaults).toBe(writePrometheusText(await r.collect()));
  });

  it('turns a slot into a cached series object on the first labels() and reuses freed slots from zero', () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['k'], registers: [] });
    g.set({ k: 'a' }, 5);
    const a = g.labels('a');
    expect(a.get()).toBe(5);
    expect(g.labels({ k: 'a' })).toBe(a);
    g.set({ k: 'a' }, 6);
    expect(a.get()).toBe(6);
    g.remove('a');
    expect(a.get()).toBe(0);
    g.set({ k: 'b' }, 1); // may reuse a's slot
    expect(g.labels('b').get()).toBe(1);
    a.inc(2); // comes back as a new series with its own slot
    expect(a.get()).toBe(2);
    expect(g.labels('b').get()).toBe(1);
  });

  it('agrees with a plain model of the series under random operations', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd', '', 'x,y', 'x:y');
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('inc' as const),
        m: key,
        id: fc.integer({ min: 0, max: 300 }),
        v: fc.integer({ min: 0, max: 9 }),
      }),
      fc.record({ kind: fc.constant('remove' as const), m: key, id: fc.integer({ min: 0, max: 300 }) }),
      fc.record({ kind: fc.constant('held' as const), m: key, id: fc.integer({ min: 0, max: 300 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const c = new Counter({ name: 'c', help: 'h', labelNames: ['m', 'id'], registers: [] });
        const model = new Map<string, number>();
        const k = (m: string, id: number) => JSON.stringify([m, String(id)]);
        for (const o of ops) {
          if (o.kind === 'inc') {
            c.inc({ m: o.m, id: o.id }, o.v);
            model.set(k(o.m, o.id), (model.get(k(o.m, o.id)) ?? 0) + o.v);
          } else if (o.kind === 'remove') {
            c.remove(o.m, o.id);
            model.delete(k(o.m, o.id));
          } else {
            c.labels(o.m, o.id).inc();
            model.set(k(o.m, o.id), (model.get(k(o.m, o.id)) ?? 0) + 1);
          }
        }
        const seen = new Map<string, number>();
        c._walkLeaves((leaf, path) => {
          seen.set(JSON.stringify([path[1], path[0]]), c._slab.values[c._slotOf(leaf)]!);
        });
        expect(seen).toEqual(model);
        expect(c.seriesSize).toBe(model.size);
      }),
      { numRuns: 60 },
    );
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { Gauge, Registry } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Gauge (seed: Gauges can go up and down)', () => {
  it('follows the seed: g.inc(); g.dec(10); g.set(4.2)', async () => {
    const r = new Registry();
    const g = new Gauge('my_inprogress_requests', 'Description of gauge', [], { registers: [r] });
    g.inc();
    expect(g.labels().get()).toBe(1);
    g.dec(10);
    expect(g.labels().get()).toBe(-9);
    g.set(4.2);
    expect(await r.metrics()).toBe(
      '# HELP my_inprogress_requests Description of gauge\n# TYPE my_inprogress_requests gauge\nmy_inprogress_requests 4.2\n',
    );
  });

  it('set_to_current_time: Unix seconds', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_500);
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a'], registers: [] });
    g.setToCurrentTime();
    g.setToCurrentTime({ a: 'x' });
    expect(g.labels({}).get()).toBe(1_700_000_000.5);
    expect(g.labels('x').get()).toBe(1_700_000_000.5);
  });

  it('set_function: d.set_function(lambda: len(my_dict)) is evaluated at collection', async () => {
    const r = new Registry();
    const d = new Gauge('data_objects', 'Number of objects', [], { registers: [r] });
    const myDict = new Map<string, number>();
    d.setFunction(() => myDict.size);
    myDict.set('a', 1);
    expect(await r.metrics()).toContain('data_objects 1\n');
    myDict.set('b', 2);
    expect(await r.metrics()).toContain('data_objects 2\n');
    expect((await d.get()).values[0]!.value).toBe(2);
    d.reset();
    expect(await r.metrics()).toContain('data_objects 0\n');
    expect(() => d.setFunction(5 as never)).toThrow(/setFunction expects a function/);
  });

  it('track_inprogress: wraps sync and async functions', async () => {
    const g = new Gauge({ name: 'inprogress', help: 'h', registers: [] });
    const seen: number[] = [];
    const sync = g.trackInProgress(() => seen.push(g.labels().get()));
    sync();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = g.trackInProgress(async () => {
      await gate;
      return 'done';
    });
    const a = slow();
    const b = slow();
    expect(g.labels().get()).toBe(2);
    release();
    await expect(a).resolves.toBe('done');
    await b;
    expect(g.labels().get()).toBe(0);
    const failing = g.trackInProgress(() => {
      throw new Error('x');
    });
    expect(() => failing()).toThrow('x');
    expect(seen).toEqual([1]);
    expect(g.labels().get()).toBe(0);
  });

  it('track_inprogress: a method decorator and a start/stop handle', () => {
    const g = new Gauge({ name: 'inprogress', help: 'h', labelNames: ['job'], registers: [] });
    const series = g.labels('train');
    class Worker {
      observed = -1;
      step(): void {
        this.observed = series.get();
      }
    }
    /* eslint-disable @typescript-eslint/unbound-method -- a decorator applied by hand receives the bare method */
    Worker.prototype.step = series.trackInProgress()(Worker.prototype.step, {
      kind: 'method',
      name: 'step',
    } as ClassMethodDecoratorContext);
    /* eslint-enable @typescript-eslint/unbound-method */
    const w = new Worker();
    w.step();
    expect(w.observed).toBe(1);
    const handle = g.startInProgress({ job: 'train' });
    expect(series.get()).toBe(1);
    handle.stop();
    handle.stop();
    expect(series.get()).toBe(0);
  });

  it('startTimer sets the gauge to the seconds elapsed (labels at start or end)', () => {
    const g = new Gauge({ name: 'took', help: 'h', labelNames: ['op'], registers: [] });
    const end = g.startTimer({ op: 'a' });
    const seconds = end();
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(g.labels('a').get()).toBe(seconds);
    const later = g.startTimer();
    later({ op: 'b' });
    expect(g.labels('b').get()).toBeGreaterThanOrEqual(0);
    expect(g.labels('x').startTimer()()).toBe(g.labels('x').get());
  });

  it('inc/dec/set with labels (prom-client form) and errors for non-numbers', () => {
    const g = new Gauge({ name: 'g', help: 'h', labelNames: ['a'], registers: [] });
    g.set({ a: 'x' }, 5);
    g.inc({ a: 'x' }, 2);
    g.dec({ a: 'x' });
    g.inc({ a: 'x' });
    expect(g.labels('x').get()).toBe(7);
    expect(() => g.set('5' as never)).toThrow(/Gauge g: value must be a number/);
    expect(() => g.inc({ a: 'x' }, '1' as never)).toThrow(/Gauge g: increment must be a number/);
  });
});

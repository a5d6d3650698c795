import { describe, expect, it } from 'vitest';
import { Counter, Registry } from '../src/index.js';

const fresh = () => new Registry();

describe('Counter (seed: Counters go up, and reset when the process restarts)', () => {
  it("follows the seed: c = Counter('my_failures', 'Description of counter'); c.inc(); c.inc(1.6)", async () => {
    const r = fresh();
    const c = new Counter('my_failures', 'Description of counter', [], { registers: [r] });
    c.inc();
    c.inc(1.6);
    expect((await c.get()).values).toEqual([{ value: 2.6, labels: {} }]);
    expect(await r.metrics()).toBe(
      '# HELP my_failures_total Description of counter\n# TYPE my_failures_total counter\nmy_failures_total 2.6\n',
    );
  });

  it('removes a _total suffix from the name and adds it back on exposition', async () => {
    const r = fresh();
    const c = new Counter({ name: 'my_requests_total', help: 'HTTP Failures', registers: [r] });
    expect(c.name).toBe('my_requests');
    c.inc();
    expect(await r.metrics('prometheus')).toContain('my_requests_total 1\n');
    expect(await r.metrics('openmetrics')).toContain('# TYPE my_requests counter\nmy_requests_total 1.0\n');
  });

  it('refuses negative and non-finite increments with an error naming the counter', () => {
    const c = new Counter({ name: 'neg', help: 'h', registers: [] });
    expect(() => c.inc(-1)).toThrow(/Counter neg: increment must be a finite number >= 0, got -1/);
    expect(() => c.inc(NaN)).toThrow(/Counter neg.*NaN/);
    expect(() => c.inc(Infinity)).toThrow(/Counter neg.*Infinity/);
    expect(() => c.labels().inc(-0.5)).toThrow(/Counter neg/);
    expect(c.labels().get()).toBe(0);
  });

  it('accepts both the positional seed style and prom-client config objects', () => {
    const a = new Counter('a_total', 'help a', ['method', 'endpoint'], { registers: [] });
    const b = new Counter({ name: 'b', help: 'help b', labelNames: ['method', 'endpoint'], registers: [] });
    expect(a.labelNames).toEqual(['method', 'endpoint']);
    expect(b.labelNames).toEqual(['method', 'endpoint']);
    expect(a.help).toBe('help a');
  });

  it('refuses bad names, label names and configs with clear errors', () => {
    expect(() => new Counter('my-failures', 'h', [], { registers: [] })).toThrow(/invalid metric name/);
    expect(() => new Counter('x', 'h', ['bad-label'], { registers: [] })).toThrow(
      /invalid label name "bad-label"/,
    );
    expect(() => new Counter('x', 'h', ['__reserved'], { registers: [] })).toThrow(/reserved/);
    expect(() => new Counter('x', 'h', ['a', 'a'], { registers: [] })).toThrow(/duplicate label name "a"/);
    expect(() => new Counter({ name: 'x', registers: [] } as never)).toThrow(/missing mandatory help/);
    expect(() => new Counter({ help: 'h', registers: [] } as never)).toThrow(/missing mandatory name/);
    expect(() => new Counter({ name: '_total', help: 'h', registers: [] })).toThrow(/name is empty/);
    expect(() => new Counter({ name: 'x', help: 'h', maxSeries: 0, registers: [] })).toThrow(/maxSeries/);
  });

  describe('countExceptions', () => {
    class ValueError extends Error {}

    it('wraps a sync function, counting what it throws and rethrowing it', () => {
      const c = new Counter({ name: 'ex', help: 'h', registers: [] });
      const f = c.countExceptions((x: number) => {
        if (x < 0) throw new ValueError('negative');
        return x * 2;
      });
      expect(f(2)).toBe(4);
      expect(() => f(-1)).toThrow('negative');
      expect(() => f(-1)).toThrow(ValueError);
      expect(c.labels().get()).toBe(2);
    });

    it('wraps an async function, counting rejections', async () => {
      const c = new Counter({ name: 'ex', help: 'h', registers: [] });
      const f = c.countExceptions(async (fail: boolean) => {
        await Promise.resolve();
        if (fail) throw new Error('boom');
        return 'ok';
      });
      await expect(f(false)).resolves.toBe('ok');
      await expect(f(true)).rejects.toThrow('boom');
      expect(c.labels().get()).toBe(1);
    });

    it('counts only the given error classes (the seed: count_exceptions(ValueError))', () => {
      const c = new Counter({ name: 'ex', help: 'h', registers: [] });
      const f = c.countExceptions((e: Error) => {
        throw e;
      }, ValueError);
      expect(() => f(new ValueError('v'))).toThrow();
      expect(() => f(new TypeError('t'))).toThrow();
      expect(c.labels().get()).toBe(1);
      expect(() => c.countExceptions(() => 1, (() => 1) as never)).toThrow(/Error classes/);
    });

    it('is a TC39 method decorator (the seed: @c.count_exceptions())', () => {
      // Applied as TypeScript 5 applies \`@c.countExceptions()\` to a method (vitest's transformer
      // does not lower decorator syntax; the example app uses the syntax, compiled by tsc).
      const c = new Counter({ name: 'ex', help: 'h', registers: [] });
      const only = new Counter({ name: 'ex_only', help: 'h', registers: [] });
      const context = { kind: 'method', name: 'run' } as ClassMethodDecoratorContext;
      class Service {
        factor = 3;
        run(x: number): number {
          if (x < 0) throw new RangeError('no');
          return x * this.factor;
        }
        other(): void {
          throw new RangeError('not counted');
        }
      }
      /* eslint-disable @typescript-eslint/unbound-method -- a decorator applied by hand receives the bare method */
      Service.prototype.run = c.countExceptions()(Service.prototype.run, context);
      Service.prototype.other = only.countExceptions(ValueError)(Service.prototype.other, context);
      /* eslint-enable @typescript-eslint/unbound-method */
      const s = new Service();
      expect(s.run(2)).toBe(6);
      expect(() => s.run(-1)).toThrow('no');
      expect(() => s.other()).toThrow('not counted');
      expect(c.labels().get()).toBe(1);
      expect(only.labels().get()).toBe(0);
    });

    it('works on a labelled series', () => {
      const c = new Counter({ name: 'ex', help: 'h', labelNames: ['op'], registers: [] });
      const f = c.labels('load').countExceptions(() => {
        throw new Error('x');
      });
      expect(() => f()).toThrow();
      expect(c.labels('load').get()).toBe(1);
    });
  });
});

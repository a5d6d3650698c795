import { describe, expect, it } from 'vitest';
import { StatsdClient } from '../src/statsd/statsd-client.js';

const env = {}; // no TALLY_JOB_ID / PS_JOB_ID / TALLY_STATSD unless a test sets them

function mock(options: ConstructorParameters<typeof StatsdClient>[0] = {}) {
  const errors: Error[] = [];
  const client = new StatsdClient({ mock: true, env, onError: (e) => errors.push(e), ...options });
  return { client, errors };
}

describe('StatsdClient wire format (DogStatsD)', () => {
  it('writes every method as DogStatsD lines', () => {
    const { client, errors } = mock();
    client.increment('hits');
    client.increment('hits', 3);
    client.decrement('hits');
    client.decrement('hits', 2);
    client.gauge('temp', 21.5);
    client.gaugeDelta('queue', 3);
    client.gaugeDelta('queue', -2);
    client.histogram('size', 100);
    client.timing('latency', 12.5);
    client.distribution('d', 0.25);
    client.set('users', 'alice');
    client.set('users', 42);
    expect(client.mockBuffer).toEqual([
      'hits:1|c',
      'hits:3|c',
      'hits:-1|c',
      'hits:-2|c',
      'temp:21.5|g',
      'queue:+3|g',
      'queue:-2|g',
      'size:100|h',
      'latency:12.5|ms',
      'd:0.25|d',
      'users:alice|s',
      'users:42|s',
    ]);
    expect(errors).toEqual([]);
  });

  it('sends a negative absolute gauge as 0 then the negative delta', () => {
    const { client } = mock();
    client.gauge('balance', -5, { env: 'a' });
    expect(client.mockBuffer).toEqual(['balance:0|g|#env:a', 'balance:-5|g|#env:a']);
  });

  it("accepts Cortex's metrics_client shapes (keyword object and positional tags)", () => {
    const { client } = mock();
    client.increment({ metric: 'my_counter', value: 1, tags: { model: 'v1' } });
    client.gauge({ metric: 'my_gauge', value: 42, tags: { model: 'v1' } });
    client.histogram({ metric: 'my_histogram', value: 100, tags: { model: 'v1' } });
    client.increment('my_counter', 1, { model: 'v1' });
    client.increment({ name: 'by_name' });
    expect(client.mockBuffer).toEqual([
      'my_counter:1|c|#model:v1',
      'my_gauge:42|g|#model:v1',
      'my_histogram:100|h|#model:v1',
      'my_counter:1|c|#model:v1',
      'by_name:1|c',
    ]);
  });

  it("accepts gradient-statsd's Client().increment/decrement/gauge", () => {
    const { client } = mock();
    client.increment('testMetric1', 1);
    client.decrement('testMetric1', 1);
    client.gauge('testMetric2', 57);
    expect(client.mockBuffer).toEqual(['testMetric1:1|c', 'testMetric1:-1|c', 'testMetric2:57|g']);
  });

  it("accepts hot-shots' (name, value, sampleRate, tags) and list tags", () => {
    const { client } = mock();
    client.timing('t', 5, 1, ['a:b', 'c:d']);
    client.increment('n', 1, ['debug']);
    expect(client.mockBuffer).toEqual(['t:5|ms|#a:b,c:d', 'n:1|c|#debug']);
  });

  it('adds prefix, suffix, global tags and the job tags from the environment', () => {
    const { client } = mock({
      prefix: 'trainer.',
      suffix: '.v2',
      globalTags: { region: 'eu' },
      env: { TALLY_JOB_ID: 'job-42', PS_JOB_ID: 'ps7' },
    });
    client.increment('steps', 1, { phase: 'train' });
    client.gauge('lr', 0.001);
    expect(client.mockBuffer).toEqual([
      'trainer.steps.v2:1|c|#job:job-42,container_name:ps7,region:eu,phase:train',
      'trainer.lr.v2:0.001|g|#job:job-42,container_name:ps7,region:eu',
    ]);
    const off = mock({ env: { TALLY_JOB_ID: 'x' }, jobTagsFromEnv: false }).client;
    off.increment('a');
    expect(off.mockBuffer).toEqual(['a:1|c']);
  });

  it('replaces the characters that would break a line, a part or a tag', () => {
    const { client } = mock();
    client.increment('a:b|c\nd#e,f[g]h', 1, {
      'k:1,#x': 'v|1,2\n3:4#5',
      empty: '',
      gone: undefined,
      n: 7,
      yes: true,
    });
    client.set('members', 'x:y|z');
    expect(client.mockBuffer).toEqual([
      'a_b_c_d_e_f_g_h:1|c|#k_1__x:v_1_2_3:4#5,n:7,yes:true',
      'members:x_y_z|s',
    ]);
  });

  it('samples with the rate and writes it on the line', () => {
    const { client } = mock({ sampleRate: 0.5 });
    for (let i = 0; i < 400; i++) client.increment('s');
    expect(client.mockBuffer.length).toBeGreaterThan(100);
    expect(client.mockBuffer.length).toBeLessThan(300);
    expect(new Set(client.mockBuffer)).toEqual(new Set(['s:1|c|@0.5']));
    const { client: perCall } = mock();
    perCall.increment('p', 1, 1, { a: 'b' });
    expect(perCall.mockBuffer).toEqual(['p:1|c|#a:b']);
  });

  it('times sync and async functions and lets their errors through', async () => {
    const { client } = mock();
    const add = client.timer((a: number, b: number) => a + b, 'add', { op: 'sum' });
    expect(add(2, 3)).toBe(5);
    const slow = client.timer(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return 'ok';
    }, 'slow');
    await expect(slow()).resolves.toBe('ok');
    const bad = client.timer(() => {
      throw new Error('boom');
    }, 'bad');
    expect(() => bad()).toThrow('boom');
    const rejecting = client.timer(async () => Promise.reject(new Error('later')), 'rejecting');
    await expect(rejecting()).rejects.toThrow('later');
    expect(client.mockBuffer.map((l) => l.replace(/:[\d.e+-]+\|/, ':N|'))).toEqual([
      'add:N|ms|#op:sum',
      'slow:N|ms',
      'bad:N|ms',
      'rejecting:N|ms',
    ]);
  });
});

describe('StatsdClient never throws', () => {
  it('reports bad values and names to onError and counts them as dropped', () => {
    const { client, errors } = mock();
    const calls: (() => void)[] = [
      () => client.increment('x', Number.NaN),
      () => client.gauge('x', Infinity),
      () => client.gauge('x'),
      () => client.histogram('x', '5' as unknown as number),
      () => client.increment('' as string),
      () => client.increment(undefined as unknown as string),
      () => client.set('x', ''),
      () => client.timing('x', 1, -1),
      () => client.increment({} as { metric: string }),
    ];
    for (const call of calls) expect(call).not.toThrow();
    expect(client.mockBuffer).toEqual([]);
    expect(errors).toHaveLength(calls.length);
    expect(client.droppedLines).toBe(calls.length);
    expect(errors[0]!.message).toBe('StatsD counter x: value must be a finite number, got NaN');
  });

  it('survives an onError that throws, and warns once without one', async () => {
    const client = new StatsdClient({
      mock: true,
      env,
      onError: () => {
        throw new Error('bad handler');
      },
    });
    expect(() => client.increment('x', Number.NaN)).not.toThrow();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const quiet = new StatsdClient({ mock: true, env });
    quiet.increment('x', Number.NaN);
    quiet.increment('y', Number.NaN);
    await new Promise((r) => setTimeout(r, 10));
    process.off('warning', onWarning);
    expect(warnings.filter((w) => w.includes('further StatsD errors'))).toHaveLength(1);
    expect(quiet.droppedLines).toBe(2);
  });

  it('drops (and reports) lines sent after close()', async () => {
    const { client, errors } = mock();
    await client.close();
    client.increment('late');
    expect(client.mockBuffer).toEqual([]);
    expect(errors[0]!.message).toMatch(/closed/);
  });

  it('refuses bad configuration at construction, naming the option', () => {
    expect(() => new StatsdClient({ port: 70000 })).toThrow(/port/);
    expect(() => new StatsdClient({ maxBufferSize: -1 })).toThrow(/maxBufferSize/);
    expect(() => new StatsdClient({ flushInterval: 0 })).toThrow(/flushInterval/);
    expect(() => new StatsdClient({ sampleRate: 2 })).toThrow(/sampleRate/);
    expect(() => new StatsdClient({ protocol: 'uds' })).toThrow(/path/);
    expect(() => new StatsdClient({ protocol: 'http' as 'udp' })).toThrow(/protocol/);
  });
});

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsLogger } from '../src/metrics-logger/metrics-logger.js';
import { MetricsLoggerConfigError } from '../src/metrics-logger/metrics-logger-env.js';
import { PushgatewayError } from '../src/push/pushgateway-error.js';
import { recordingServer } from './push-helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function server(...args: Parameters<typeof recordingServer>) {
  const s = await recordingServer(...args);
  cleanups.push(s.close);
  return s;
}
function logger(options: ConstructorParameters<typeof MetricsLogger>[0]): MetricsLogger {
  const l = new MetricsLogger({ pushOnExit: false, ...options });
  cleanups.push(() => l.close());
  return l;
}

describe('MetricsLogger: the seed example', () => {
  it('adds, sets, increments and pushes the whole group (PUT)', async () => {
    const s = await server();
    const log: MetricsLogger = logger({
      groupingKey: { ProjectA: 'SomeLabel' },
      env: { TALLY_URL: s.url, TALLY_JOB_ID: 'job-7' },
    });
    log.addGauge('Gauge');
    log.addCounter('Counter');
    (log as unknown as Record<string, number>).Gauge = 5; // the seed's `logger["Gauge"] = 5`
    expect(await log.registry.metrics()).toContain('\nGauge 5\n');
    log['Gauge'].set(42);
    log['Counter'].inc();
    log.get('Counter').inc();
    expect(await log.pushMetrics()).toBe(true);
    expect(s.requests).toHaveLength(1);
    const [req] = s.requests;
    expect(req!.method).toBe('PUT');
    expect(req!.path).toBe('/metrics/job/job-7/ProjectA/SomeLabel');
    expect(req!.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(req!.body).toContain('\nGauge 42\n');
    expect(req!.body).toContain('\nCounter_total 2\n');
  });

  it('has summaries and histograms too, with their options', async () => {
    const s = await server();
    const log: MetricsLogger = logger({ url: s.url, jobId: 'j' });
    log.addSummary('latency', 'Latency', { percentiles: [0.5] });
    log.addHistogram('size', 'Size', { buckets: [1, 10] });
    log['latency'].observe(3);
    log['size'].observe(4);
    await log.pushMetrics();
    expect(s.requests[0]!.body).toContain('size_bucket{le="10.0"} 1');
    expect(s.requests[0]!.body).toContain('latency_count 1');
  });
});

describe('MetricsLogger: assignment and lookup', () => {
  const log: MetricsLogger = new MetricsLogger({ url: 'http://127.0.0.1:9', jobId: 'j', pushOnExit: false });
  log.addGauge('g');
  log.addCounter('c');
  log.addHistogram('h');
  const any = log as unknown as Record<string, unknown>;

  it('`logger[gauge] = n` sets the gauge', async () => {
    any.g = 7.5;
    expect(await log.registry.metrics()).toContain('\ng 7.5\n');
  });

  it.each([
    ['c', 5, 'logger["c"] = 5: a counter only goes up; use logger["c"].inc(5)'],
    ['h', 5, 'logger["h"] = 5: a histogram records observations; use logger["h"].observe(5)'],
    ['g', '5', 'logger["g"] = 5: a gauge is set to a number'],
    ['missing', 1, 'logger["missing"] = 1: no metric named "missing"; call logger.addGauge("missing") first'],
  ])('`logger[%j] = %j` is a TypeError', (name, value, message) => {
    expect(() => (any[name] = value)).toThrow(TypeError);
    expect(() => (any[name] = value)).toThrow(message);
  });

  it('get() names the metrics there are; the logger’s own members win over metric names', () => {
    expect(() => log.get('nope')).toThrow('MetricsLogger: no metric named "nope" (added: "g", "c", "h")');
    expect(any.nope).toBeUndefined();
    expect('g' in log).toBe(true);
    log.addGauge('get');
    expect(typeof log.get).toBe('function');
    expect(log.get('get').type).toBe('gauge');
  });

  it('adding the same metric again is harmless; another type under that name is an error', () => {
    log.addGauge('g');
    expect(() => log.addCounter('g')).toThrow('MetricsLogger: "g" is already a gauge, not a counter');
    expect(() => log.addGauge('bad-name')).toThrow(/invalid metric name/);
  });

  it('awaiting the logger does not mistake it for a promise', async () => {
    expect(await Promise.resolve(log)).toBe(log);
  });
});

describe('MetricsLogger: where it pushes', () => {
  it('prefers the option, then TALLY_*, then the gradient-utils variables', () => {
    const env = {
      TALLY_URL: 'http://tally:9091',
      PAPERSPACE_METRIC_PUSHGATEWAY: 'http://pgw:9091',
      TALLY_JOB_ID: 'tally-job',
      PAPERSPACE_METRIC_WORKLOAD_ID: 'ps-job',
    };
    const a = logger({ env });
    expect([a.url, a.jobId]).toEqual(['http://tally:9091', 'tally-job']);
    const b = logger({
      env: { PAPERSPACE_METRIC_PUSHGATEWAY: 'http://pgw:9091', PAPERSPACE_METRIC_WORKLOAD_ID: 'ps-job' },
    });
    expect([b.url, b.jobId]).toEqual(['http://pgw:9091', 'ps-job']);
    const c = logger({ env, url: 'http://explicit:1', jobId: 'explicit' });
    expect([c.url, c.jobId]).toEqual(['http://explicit:1', 'explicit']);
  });

  it('says which variables it looked at when it cannot tell', () => {
    expect(() => new MetricsLogger({ env: {} })).toThrow(MetricsLoggerConfigError);
    expect(() => new MetricsLogger({ env: {} })).toThrow(
      'MetricsLogger: no push URL: pass { url } or set TALLY_URL or PAPERSPACE_METRIC_PUSHGATEWAY; no job id: pass { jobId } or set TALLY_JOB_ID or PAPERSPACE_METRIC_WORKLOAD_ID (none of these is set)',
    );
    expect(() => new MetricsLogger({ env: { TALLY_URL: 'http://x' } })).toThrow(/^MetricsLogger: no job id/);
    expect(
      () => new MetricsLogger({ env: {}, url: 'http://x', jobId: 'a/b', groupingKey: { 'bad-label': 'x' } }),
    ).toThrow(/bad-label/);
    expect(() => new MetricsLogger({ env: {}, url: 'http://x', jobId: 'j', pushEvery: 'soon' })).toThrow(
      /'10s'/,
    );
  });

  it('sends TALLY_TOKEN as a bearer token', async () => {
    const s = await server();
    const log = logger({ env: { TALLY_URL: s.url, TALLY_JOB_ID: 'j', TALLY_TOKEN: 'secret' } });
    await log.pushMetrics();
    expect(s.requests[0]!.headers.authorization).toBe('Bearer secret');
  });
});

describe('MetricsLogger: steps, periodic pushes and failures', () => {
  it('setStep labels every series with the step', async () => {
    const s = await server();
    const log: MetricsLogger = logger({ url: s.url, jobId: 'j', step: 1 });
    log.addGauge('loss');
    log['loss'].set(0.5);
    await log.pushMetrics();
    log.setStep(2);
    log['loss'].set(0.25);
    await log.pushMetrics();
    expect(s.requests.map((r) => r.body.split('\n').find((l) => l.startsWith('loss')))).toEqual([
      'loss{step="1"} 0.5',
      'loss{step="2"} 0.25',
    ]);
    expect(() => log.setStep(-1)).toThrow(RangeError);
    expect(() => log.setStep(1.5)).toThrow(
      'MetricsLogger.setStep: the step must be an integer >= 0, got 1.5',
    );
  });

  it('pushes every `pushEvery` on its own', async () => {
    const s = await server();
    logger({ url: s.url, jobId: 'j', pushEvery: '30ms' });
    for (let i = 0; i < 200 && s.requests.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('never overlaps pushes: calls during a push share the next one', async () => {
    let active = 0;
    let maxActive = 0;
    const slow = await server();
    const log = logger({ url: slow.url, jobId: 'j' });
    const original = globalThis.fetch;
    globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 20));
      try {
        return await original(...args);
      } finally {
        active--;
      }
    };
    cleanups.push(() => {
      globalThis.fetch = original;
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => log.pushMetrics()));
    expect(results).toEqual([true, true, true, true, true]);
    expect(maxActive).toBe(1);
    expect(slow.requests).toHaveLength(2);
  });

  it('reports failures to onError and never rejects', async () => {
    const s = await server(() => ({ status: 500, body: 'disk full' }));
    const errors: Error[] = [];
    const log = logger({ url: s.url, jobId: 'j', onError: (e) => errors.push(e) });
    expect(await log.pushMetrics()).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PushgatewayError);
    expect(errors[0]!.message).toMatch(/answered 500: disk full/);
    const throwing = logger({
      url: s.url,
      jobId: 'j',
      onError: () => {
        throw new Error('handler bug');
      },
    });
    expect(await throwing.pushMetrics()).toBe(false);
  });

  it('warns once per run of failures when there is no onError', async () => {
    const s = await server(() => ({ status: 503 }));
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    cleanups.push(() => void process.off('warning', onWarning));
    const log = logger({ url: s.url, jobId: 'j' });
    await log.pushMetrics();
    await log.pushMetrics();
    await new Promise((r) => setTimeout(r, 10));
    expect(warnings.filter((w) => w === 'TallyPushWarning')).toHaveLength(1);
  });
});

describe('MetricsLogger: the last push when the process ends', () => {
  const script = fileURLToPath(new URL('./metrics-logger-exit-script.ts', import.meta.url));
  async function runScript(mode: 'exit' | 'sigterm', url: string) {
    // Sources, not dist: on a fresh clone nothing is built yet (the workspace packages resolve
    // to their src/ under the "source" condition, as in the other child-process tests).
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TALLY_URL: url, TALLY_JOB_ID: 'short-job' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (mode === 'sigterm' && output.includes('ready')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    return { code, signal, output };
  }

  it('pushes on beforeExit when the script never pushed', async () => {
    const s = await server();
    const result = await runScript('exit', s.url);
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(s.requests.map((r) => [r.method, r.path])).toEqual([['PUT', '/metrics/job/short-job']]);
    expect(s.requests[0]!.body).toContain('\nlast_value 3\n');
  }, 30_000);

  it('pushes on SIGTERM, then exits by the signal', async () => {
    const s = await server();
    const result = await runScript('sigterm', s.url);
    expect(result.signal).toBe('SIGTERM');
    expect(s.requests.map((r) => r.method)).toEqual(['PUT']);
    expect(s.requests[0]!.body).toContain('\nlast_value 3\n');
  }, 30_000);
});

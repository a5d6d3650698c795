import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLabels } from '@tally/model';
import { Counter, Gauge, Histogram, metricsHandler, Registry } from '@tally/sdk';
import { isStaleMarker } from '../src/storage/remote/float-bits.js';
import { parseScrapeTarget, ScrapeConfigError } from '../src/scrape/scrape-config.js';
import { ScrapeLoop, type ScrapeSeries } from '../src/scrape/scrape-loop.js';
import { ScrapeManager } from '../src/scrape/scrape-manager.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

/** A sink recording the last value per series, by formatted labels. */
function collector() {
  const last = new Map<string, number>();
  const writes: ScrapeSeries[][] = [];
  return {
    last,
    writes,
    sink: (_job: string, series: ScrapeSeries[]) => {
      writes.push(series);
      for (const s of series) last.set(formatLabels(s.labels), s.values.at(-1)!);
      return Promise.resolve();
    },
  };
}

const target = (url: string, extra: Record<string, unknown> = {}) =>
  parseScrapeTarget({ url, interval: '1s', timeout: '500ms', ...extra });

describe('scrape target config', () => {
  it('fills in defaults and parses durations and sizes', () => {
    expect(parseScrapeTarget({ url: 'http://127.0.0.1:9100/metrics', body_size_limit: '1MiB' })).toEqual({
      url: 'http://127.0.0.1:9100/metrics',
      intervalMs: 15_000,
      timeoutMs: 10_000,
      honorLabels: false,
      sampleLimit: 0,
      bodySizeLimitBytes: 1 << 20,
      labels: {},
    });
  });
  it.each([
    [{}, '"url" must be a string'],
    [{ url: 'ftp://x/metrics' }, 'must be http or https'],
    [{ url: 'http://x/', interval: '1s', timeout: '2s' }, 'must not be longer than "interval"'],
    [{ url: 'http://x/', interval: 'soon' }, 'must be a duration'],
    [{ url: 'http://x/', labels: { job: 'other' } }, 'the "job" label is the job\'s id'],
    [{ url: 'http://x/', labels: { 'bad-name': 'v' } }, 'not a valid Prometheus label name'],
    [{ url: 'http://x/', sample_limit: -1 }, 'non-negative integer'],
    [{ url: 'http://x/', scrape_every: '1s' }, 'unknown key "scrape_every"'],
  ])('refuses %j', (raw, message) => {
    expect(() => parseScrapeTarget(raw)).toThrow(ScrapeConfigError);
    expect(() => parseScrapeTarget(raw)).toThrow(message);
  });
});

describe('scrape loop', () => {
  it("scrapes an app serving @tally/sdk's /metrics handler, with OpenMetrics negotiated", async () => {
    const registry = new Registry();
    const steps = new Counter({ name: 'train_steps', help: 'Steps', registers: [registry] });
    const loss = new Gauge({ name: 'loss', help: 'Loss', labelNames: ['split'], registers: [registry] });
    new Histogram({
      name: 'step_seconds',
      help: 'Step time',
      buckets: [0.1, 1],
      registers: [registry],
    }).observe(0.5);
    steps.inc(3);
    loss.set({ split: 'val' }, 0.25);
    let accept = '';
    const handler = metricsHandler(registry);
    const url = await serve((req, res) => {
      accept = req.headers.accept ?? '';
      handler(req, res);
    });
    const c = collector();
    const loop = new ScrapeLoop('train-1', target(url), c.sink);
    const r = await loop.scrapeOnce(1_000_000);
    expect(accept).toContain('application/openmetrics-text');
    expect(r).toMatchObject({ up: true, error: undefined });
    const inst = new URL(url).host;
    expect(c.last.get(`train_steps_total{instance="${inst}", job="train-1"}`)).toBe(3);
    expect(c.last.get(`loss{instance="${inst}", job="train-1", split="val"}`)).toBe(0.25);
    expect(c.last.get(`step_seconds_bucket{instance="${inst}", job="train-1", le="1.0"}`)).toBe(1);
    expect(c.last.get(`up{instance="${inst}", job="train-1"}`)).toBe(1);
    expect(c.last.get(`scrape_samples_scraped{instance="${inst}", job="train-1"}`)).toBe(r.samplesScraped);
    expect(c.last.get(`scrape_duration_seconds{instance="${inst}", job="train-1"}`)).toBeGreaterThan(0);
    expect(c.writes[0]!.every((s) => s.timestampsMs.every((t) => t === 1_000_000))).toBe(true);
  });

  it('marks series stale when they disappear and everything stale when the target fails', async () => {
    let body = 'a 1\nb{x="1"} 2\n';
    let status = 200;
    const url = await serve((_, res) => {
      res.writeHead(status, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
    });
    const c = collector();
    const loop = new ScrapeLoop('j', target(url), c.sink);
    await loop.scrapeOnce(1000);
    body = 'a 5\n';
    const r2 = await loop.scrapeOnce(2000);
    expect(r2.staleMarkers).toBe(1);
    const stale = c.writes[1]!.find((s) => s.labels.some((l) => l.value === 'b'))!;
    expect(stale.timestampsMs).toEqual([2000]);
    expect(isStaleMarker(stale.values[0]!)).toBe(true);
    status = 503;
    const r3 = await loop.scrapeOnce(3000);
    expect(r3).toMatchObject({
      up: false,
      error: 'server returned HTTP status 503 Service Unavailable',
      staleMarkers: 1,
    });
    const inst = new URL(url).host;
    expect(c.last.get(`up{instance="${inst}", job="j"}`)).toBe(0);
    expect(isStaleMarker(c.last.get(`a{instance="${inst}", job="j"}`)!)).toBe(true);
    await loop.stop({ stale: true }, 4000);
    expect(isStaleMarker(c.last.get(`up{instance="${inst}", job="j"}`)!)).toBe(true);
  });

  it('keeps clashing exposed labels as exported_* unless honor_labels, and honors exposed timestamps', async () => {
    const url = await serve((_, res) => {
      res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end('m{job="pushed",instance="i1",exported_job="x"} 1 1234\n');
    });
    const inst = new URL(url).host;
    const plain = collector();
    await new ScrapeLoop('j', target(url), plain.sink).scrapeOnce(5000);
    expect(
      plain.last.get(
        `m{exported_exported_job="pushed", exported_instance="i1", exported_job="x", instance="${inst}", job="j"}`,
      ),
    ).toBe(1);
    const honored = collector();
    await new ScrapeLoop('j', target(url, { honor_labels: true }), honored.sink).scrapeOnce(5000);
    const m = honored.writes[0]!.find((s) => s.labels.some((l) => l.name === '__name__' && l.value === 'm'))!;
    expect(formatLabels(m.labels)).toBe('m{exported_job="x", instance="i1", job="pushed"}');
    expect(m.timestampsMs).toEqual([1234]);
  });

  it('fails a scrape over the sample limit, the body size limit or the timeout', async () => {
    const url = await serve((req, res) => {
      if (req.url?.includes('slow')) {
        setTimeout(() => res.writeHead(200).end('a 1\n'), 400);
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
        .end(gzipSync('a 1\nb 2\nc 3\n'));
    });
    const c = collector();
    expect(await new ScrapeLoop('j', target(url, { sample_limit: 2 }), c.sink).scrapeOnce()).toMatchObject({
      up: false,
      error: 'sample limit exceeded (limit: 2)',
    });
    expect(await new ScrapeLoop('j', target(url, { body_size_limit: 5 }), c.sink).scrapeOnce()).toMatchObject(
      {
        up: false,
        error: 'body size limit exceeded (limit: 5 bytes)',
      },
    );
    expect(await new ScrapeLoop('j', target(url, { sample_limit: 3 }), c.sink).scrapeOnce()).toMatchObject({
      up: true,
      samplesScraped: 3,
    });
    const slow = parseScrapeTarget({
      url: url.replace('/metrics', '/slow'),
      interval: '1s',
      timeout: '100ms',
    });
    expect((await new ScrapeLoop('j', slow, c.sink).scrapeOnce()).error).toContain(
      'context deadline exceeded',
    );
  });

  it('reports a parse error as a failed scrape', async () => {
    const url = await serve((_, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('bad line here\n'),
    );
    const r = await new ScrapeLoop('j', target(url), collector().sink).scrapeOnce();
    expect(r.up).toBe(false);
    expect(r.error).toMatch(/line 1/);
  });

  it("the manager starts, restarts and stops loops as a job's targets change", async () => {
    const url = await serve((_, res) => res.writeHead(200).end('a 1\n'));
    const c = collector();
    const m = new ScrapeManager(c.sink);
    await m.setTargets('j', [parseScrapeTarget({ url, interval: '100ms', timeout: '50ms' })]);
    for (let i = 0; i < 100 && c.writes.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(c.writes.length).toBeGreaterThanOrEqual(2);
    expect(m.loopsOf('j')).toHaveLength(1);
    await m.setTargets('j', []);
    expect(m.loopsOf('j')).toHaveLength(0);
    const inst = new URL(url).host;
    expect(isStaleMarker(c.last.get(`a{instance="${inst}", job="j"}`)!)).toBe(true);
    await m.stopAll();
  });
});

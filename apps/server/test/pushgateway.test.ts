import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Matcher } from '@tally/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { parseGroupingKey } from '../src/ingest/pushgateway/grouping-key.js';
import type { RunningServer } from '../src/server.js';
import { api, startTestServer } from './helpers.js';
import { corpusPath } from '../../../test-support/corpora.js';

const corpus = JSON.parse(readFileSync(corpusPath('pushgateway/url_grouping_keys.json'), 'utf8')) as {
  split_labels: { name: string; input: string; expect: Record<string, string> | 'error'; flags?: string }[];
  readme_paths: { path: string; grouping_key: Record<string, string> | string; flags?: string }[];
};

describe('grouping keys (Pushgateway corpus)', () => {
  for (const c of corpus.split_labels.filter((x) => !x.flags)) {
    it(`split_labels: ${c.name}`, () => {
      const parse = () => parseGroupingKey('job/j' + c.input);
      if (c.expect === 'error') expect(parse).toThrow();
      else expect({ ...parse() }).toEqual({ job: 'j', ...c.expect });
    });
  }
  for (const c of corpus.readme_paths.filter((x) => !x.flags)) {
    it(`README path ${c.path}`, () => {
      const rest = decodeURIComponent(c.path.slice('/metrics/'.length));
      if (typeof c.grouping_key === 'string') expect(() => parseGroupingKey(rest)).toThrow();
      else expect({ ...parseGroupingKey(rest) }).toEqual(c.grouping_key);
    });
  }
});

let server: RunningServer | undefined;
afterEach(async () => server?.close());

const put = (path: string, body: string, method = 'PUT', headers: Record<string, string> = {}) =>
  fetch(server!.url + path, {
    method,
    body,
    headers: { 'content-type': 'text/plain; version=0.0.4', ...headers },
  });

async function scrape(): Promise<string> {
  return (await fetch(server!.url + '/metrics')).text();
}

async function history(job: string, name: string): Promise<number[]> {
  const q = server!.storage.querier(0, Date.now() + 10_000);
  const series = await q.select([new Matcher('=', 'job', job), new Matcher('=', '__name__', name)]);
  const values: number[] = [];
  for (const s of series) {
    const it = s.iterator();
    while (it.next()) values.push(it.v);
  }
  return values;
}

describe('Pushgateway API', () => {
  it('PUT replaces the group, POST replaces same-named families, DELETE removes the group', async () => {
    server = await startTestServer();
    expect(
      (
        await put(
          '/metrics/job/train/instance/w1',
          '# TYPE loss gauge\nloss 0.9\n# TYPE steps counter\nsteps 1\n',
        )
      ).status,
    ).toBe(200);
    let text = await scrape();
    expect(text).toContain('loss{instance="w1",job="train"} 0.9');
    expect(text).toContain('steps{instance="w1",job="train"} 1');
    expect(text).toMatch(/push_time_seconds\{instance="w1",job="train"\} \d+\.?\d*/);

    expect(
      (await put('/metrics/job/train/instance/w1', '# TYPE loss gauge\nloss 0.5\n', 'POST')).status,
    ).toBe(200);
    text = await scrape();
    expect(text).toContain('loss{instance="w1",job="train"} 0.5');
    expect(text).toContain('steps{instance="w1",job="train"} 1');

    expect((await put('/metrics/job/train/instance/w1', '# TYPE acc gauge\nacc 0.7\n')).status).toBe(200);
    text = await scrape();
    expect(text, text).not.toContain('loss{');
    expect(text).toContain('acc{instance="w1",job="train"} 0.7');

    // History keeps every push, even of families the last push no longer has.
    expect(await history('train', 'loss')).toEqual([0.9, 0.5]);

    expect((await fetch(server.url + '/metrics/job/train/instance/w1', { method: 'DELETE' })).status).toBe(
      202,
    );
    text = await scrape();
    expect(text).not.toContain('acc{');
    expect(await history('train', 'acc')).toEqual([0.7]);
    // The job was created by its first push.
    expect(
      (await api(server, 'GET', '/api/v1/jobs/train')).json.job.metrics.map((m: { name: string }) => m.name),
    ).toEqual(['acc', 'loss', 'steps']);
  });

  it('URL labels override body labels; @base64 values; gzip bodies', async () => {
    server = await startTestServer();
    const body = gzipSync('# TYPE m gauge\nm{job="other",path="x",k="v"} 3\n');
    const res = await fetch(server.url + '/metrics/job/j1/path@base64/L3Zhci90bXA', {
      method: 'PUT',
      body,
      headers: { 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    expect(await scrape()).toContain('m{job="j1",k="v",path="/var/tmp"} 3');
  });

  it('refuses inconsistent pushes with 400 and the reason, and records the failure time', async () => {
    server = await startTestServer();
    expect((await put('/metrics/job/a', '# TYPE x counter\nx 1\n')).status).toBe(200);
    const conflict = await put('/metrics/job/b', '# TYPE x gauge\nx 1\n');
    expect(conflict.status).toBe(400);
    expect(await conflict.text()).toContain('inconsistent');
    const ts = await put('/metrics/job/a', '# TYPE y gauge\ny 1 1700000000000\n');
    expect(ts.status).toBe(400);
    expect(await ts.text()).toContain('timestamps');
    const dup = await put('/metrics/job/a', '# TYPE y gauge\ny{a="1"} 1\ny{a="1"} 2\n');
    expect(dup.status).toBe(400);
    const hist = '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n';
    expect((await put('/metrics/job/c', hist)).status).toBe(200);
    const collide = await put('/metrics/job/d', '# TYPE h_count gauge\nh_count 1\n');
    expect(collide.status).toBe(400);
    expect(await collide.text()).toContain('collides');
    const parse = await put('/metrics/job/a', 'not a metric line {\n');
    expect(parse.status).toBe(400);
    expect(await parse.text()).toContain('line 1');
    // Group a still has x, and a failure time.
    const groups = (await api(server, 'GET', '/api/v1/metrics')).json.data;
    const a = groups.find((g: { labels: { job: string } }) => g.labels.job === 'a');
    expect(a.x.metrics[0].value).toBe('1');
    expect(a.last_push_successful).toBe(false);
    expect(Number(a.push_failure_time_seconds.metrics[0].value)).toBeGreaterThan(0);
    const b = groups.find((g: { labels: { job: string } }) => g.labels.job === 'b');
    expect(b.x).toBeUndefined();
    // Refused pushes wrote no history.
    expect(await history('b', 'x')).toEqual([]);
  });

  it('an empty PUT empties the group but keeps it, with a new push time', async () => {
    server = await startTestServer();
    await put('/metrics/job/e', '# TYPE g gauge\ng 1\n');
    expect((await put('/metrics/job/e', '')).status).toBe(200);
    const text = await scrape();
    expect(text).not.toContain('g{job="e"}');
    expect(text).toContain('push_time_seconds{job="e"}');
  });

  it('refuses bad grouping keys and job names outside the seed rule', async () => {
    server = await startTestServer();
    expect((await put('/metrics/job/j/__reserved/x', 'a 1\n')).status).toBe(400);
    expect((await put('/metrics/job/j/label', 'a 1\n')).status).toBe(400);
    const bad = await put('/metrics/job/has.dot', '# TYPE a gauge\na 1\n');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('job names may contain');
  });

  it('a strict job refuses undeclared metrics', async () => {
    server = await startTestServer();
    await api(server, 'POST', '/api/v1/jobs', {
      name: 'strict1',
      kind: 'experiment',
      metrics: ['loss', 'my_failures'],
      strict: true,
    });
    expect(
      (
        await put(
          '/metrics/job/strict1',
          '# TYPE loss gauge\nloss 1\n# TYPE my_failures_total counter\nmy_failures_total 2\n',
        )
      ).status,
    ).toBe(200);
    const r = await put('/metrics/job/strict1', '# TYPE other gauge\nother 1\n');
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('not declared: other');
  });

  it('without auto-creation, pushes to unknown jobs are refused', async () => {
    server = await startTestServer(['--no-auto-create-jobs']);
    expect((await put('/metrics/job/ghost', '# TYPE a gauge\na 1\n')).status).toBe(404);
  });

  it('keeps the last-push state and history across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-pgw-restart-'));
    server = await startTestServer(['--data-dir', dir, '--storage', 'tsdb']);
    await put('/metrics/job/persist/step/3', '# HELP loss The loss.\n# TYPE loss gauge\nloss 0.25\n');
    await server.close();
    server = await startTestServer(['--data-dir', dir, '--storage', 'tsdb']);
    expect(await scrape()).toContain('loss{job="persist",step="3"} 0.25');
    const job = (await api(server, 'GET', '/api/v1/jobs/persist')).json.job;
    expect(job.lastPushAt).not.toBeNull();
    expect(job.metrics[0]).toMatchObject({
      name: 'loss',
      type: 'gauge',
      help: 'The loss.',
      seriesCount: 1,
      lastValue: '0.25',
    });
  });
});

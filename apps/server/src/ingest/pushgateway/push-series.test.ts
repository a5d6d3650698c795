// A group's series are remembered between its pushes (GroupSeries + the parser's
// SeriesTextCache): pushing a group again must answer exactly as the first push would.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../server.js';
import { startTestServer } from '../../../test/helpers.js';
import { parsePrometheusText, SeriesTextCache } from '@tally/model';
import { api } from '../../../test/helpers.js';
import { JobStats } from '../../jobs/job-stats.js';
import { GroupSeries, JobTextCaches } from './push-series.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function put(path: string, body: string, method = 'PUT'): Promise<{ status: number; text: string }> {
  const res = await fetch(server!.url + path, { method, body });
  return { status: res.status, text: await res.text() };
}

async function lines(job: string): Promise<string[]> {
  const text = await (await fetch(server!.url + '/metrics')).text();
  return text
    .split('\n')
    .filter((l) => l.includes(`job="${job}"`) && !l.startsWith('push_'))
    .sort();
}

describe('GroupSeries', () => {
  it('gives one series per label set, however its text was written', () => {
    const g = new GroupSeries([{ name: 'job', value: 'j' }], new SeriesTextCache());
    const a = g.resolve({ name: 'up', labels: [{ name: 'x', value: '1' }], value: 1 }, false);
    const b = g.resolve({ name: 'up', labels: [{ name: 'x', value: '1' }], value: 2 }, true);
    expect(b).toBe(a);
    expect(a.storageLabels).toEqual([
      { name: '__name__', value: 'up' },
      { name: 'job', value: 'j' },
      { name: 'x', value: '1' },
    ]);
    // The same labels object under another name is another series (never the case with the
    // text cache, whose labels objects belong to one series text, but keys decide).
    const labels = [{ name: 'x', value: '1' }];
    const c = g.resolve({ name: 'down', labels, value: 1 }, false);
    expect(c).not.toBe(a);
  });

  it('starts over when far more is remembered than pushed', () => {
    const g = new GroupSeries([], new SeriesTextCache());
    for (let i = 0; i < 2000; i++)
      g.resolve({ name: 'm', labels: [{ name: 'i', value: `${i}` }], value: 0 }, true);
    g.trim(2000);
    const first = g.resolve({ name: 'm', labels: [{ name: 'i', value: '0' }], value: 0 }, false);
    g.trim(10);
    expect(g.resolve({ name: 'm', labels: [{ name: 'i', value: '0' }], value: 0 }, false)).not.toBe(first);
  });
});

describe('JobTextCaches', () => {
  it('stops using a job cache for new groups after a push that mostly missed, then retries', () => {
    const texts = new JobTextCaches();
    const parse = (body: string): void => {
      const cache = texts.forNewGroup('j');
      if (cache) parsePrometheusText(body, { seriesCache: cache });
      texts.parsedNewGroup('j', cache);
    };
    // The same body under new grouping keys: found, so the cache stays in use.
    for (let i = 0; i < 3; i++) parse('a{x="1"} 1\nb 2\n');
    expect(texts.forNewGroup('j')).toBe(texts.of('j'));
    texts.parsedNewGroup('j', undefined);
    // A body of new series: missed, so the next 32 new groups parse without the cache.
    parse('c{step="1"} 1\nd{step="1"} 1\n');
    for (let i = 0; i < 32; i++) {
      expect(texts.forNewGroup('j')).toBeUndefined();
      texts.parsedNewGroup('j', undefined);
    }
    expect(texts.forNewGroup('j')).toBe(texts.of('j'));
    texts.forget('j');
    expect(texts.of('j').size).toBe(0);
  });
});

describe('pushing a group again', () => {
  it('shows the new values and keeps URL labels over body labels', async () => {
    server = await startTestServer();
    const path = '/metrics/job/again/instance/i1';
    for (const v of [1, 2, 3, 4]) {
      const body = `# TYPE loss gauge\nloss{instance="body",step="1"} ${v}\nloss{step="2"} ${v * 10}\n`;
      expect((await put(path, body)).status).toBe(200);
      expect(await lines('again')).toEqual([
        `loss{instance="i1",job="again",step="1"} ${v}`,
        `loss{instance="i1",job="again",step="2"} ${v * 10}`,
      ]);
    }
    const q = await fetch(`${server.url}/api/v1/query?query=count_over_time(loss{job="again"}[1h])`);
    const data = (await q.json()) as { data: { result: { value: [number, string] }[] } };
    expect(data.data.result.map((r) => r.value[1])).toEqual(['4', '4']);
  });

  it('refuses a series pushed twice, also when both lines were seen before', async () => {
    server = await startTestServer();
    const path = '/metrics/job/dups';
    expect((await put(path, 'a{x="1",y="2"} 1\na{y="2",x="1"} 2\n')).status).toBe(400);
    expect((await put(path, 'a{x="1",y="2"} 1\n')).status).toBe(200);
    expect((await put(path, 'a{y="2",x="1"} 1\n')).status).toBe(200);
    expect((await put(path, 'a{x="1",y="2"} 1\n')).status).toBe(200);
    const twice = await put(path, 'a{x="1",y="2"} 1\na{y="2",x="1"} 2\n');
    expect(twice.status).toBe(400);
    expect(twice.text).toContain('collected metric a{job="dups", x="1", y="2"} was pushed twice');
    expect((await put(path, 'a{x="1",y="2"} 1\na{x="1",y="2"} 1\n')).status).toBe(400);
    // A body label equal to the URL's job is the same series as without it.
    expect((await put(path, 'a{x="1",y="2"} 1\na{job="dups",x="1",y="2"} 1\n')).status).toBe(400);
    expect(await lines('dups')).toEqual(['a{job="dups",x="1",y="2"} 1']);
  });

  it('checks the limits of a series again until a push with it is accepted', async () => {
    server = await startTestServer(['--max-label-value-length', '5']);
    const path = '/metrics/job/lim';
    expect((await put(path, 'a{x="ok"} 1\n')).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const refused = await put(path, 'a{x="ok"} 1\nb{x="toolong"} 1\n');
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('--max-label-value-length');
    }
    expect((await put(path, 'a{x="ok"} 2\n')).status).toBe(200);
    expect(await lines('lim')).toEqual(['a{job="lim",x="ok"} 2']);
  });

  it('gives groups of one job that push the same body their own labels', async () => {
    server = await startTestServer();
    const body = '# TYPE loss gauge\nloss{run="a"} 1\nacc{run="a"} 2\n';
    for (let round = 0; round < 3; round++) {
      for (const step of ['1', '2', '3']) {
        const text = body.replace(' 1\n', ` ${step}${round}\n`);
        expect((await put(`/metrics/job/shared/step/${step}`, text)).status).toBe(200);
      }
    }
    expect(await lines('shared')).toEqual([
      'acc{job="shared",run="a",step="1"} 2',
      'acc{job="shared",run="a",step="2"} 2',
      'acc{job="shared",run="a",step="3"} 2',
      'loss{job="shared",run="a",step="1"} 12',
      'loss{job="shared",run="a",step="2"} 22',
      'loss{job="shared",run="a",step="3"} 32',
    ]);
    // A group of another job with the same body is that job's.
    expect((await put('/metrics/job/other/step/1', body)).status).toBe(200);
    expect(await lines('other')).toEqual([
      'acc{job="other",run="a",step="1"} 2',
      'loss{job="other",run="a",step="1"} 1',
    ]);
  });

  it('keeps POST replacing only same-named families', async () => {
    server = await startTestServer();
    const path = '/metrics/job/post';
    expect((await put(path, 'a 1\nb 1\n')).status).toBe(200);
    expect((await put(path, 'a 2\n', 'POST')).status).toBe(200);
    expect((await put(path, 'a 3\n', 'POST')).status).toBe(200);
    expect(await lines('post')).toEqual(['a{job="post"} 3', 'b{job="post"} 1']);
  });
});

describe('job-stats entries kept between pushes', () => {
  it('a group pushed again costs no stats lookup; a job deleted and pushed again starts afresh', async () => {
    server = await startTestServer();
    const body = (v: number): string =>
      `# TYPE loss gauge\nloss{phase="train"} ${v}\nloss{phase="eval"} ${v + 1}\n`;
    expect((await put('/metrics/job/kept/step/1', body(1))).status).toBe(200);
    const lookups = vi.spyOn(JobStats.prototype, 'get');
    try {
      // The group's series are remembered from its second push on: that push looks each series
      // up once (the check's lookup serves the write too), later ones not at all.
      expect((await put('/metrics/job/kept/step/1', body(3))).status).toBe(200);
      expect(lookups).toHaveBeenCalledTimes(2);
      lookups.mockClear();
      expect((await put('/metrics/job/kept/step/1', body(5))).status).toBe(200);
      expect(lookups).not.toHaveBeenCalled();
    } finally {
      lookups.mockRestore();
    }
    const before = server.jobs.statsOf('kept');
    expect([...before.series.values()].map((s) => s.lastValue).sort()).toEqual([5, 6]);

    expect((await api(server, 'DELETE', '/api/v1/jobs/kept')).status).toBe(200);
    expect((await put('/metrics/job/kept/step/1', body(9))).status).toBe(200);
    const after = server.jobs.statsOf('kept');
    expect(after).not.toBe(before);
    expect([...after.series.values()].map((s) => [s.lastValue, s.owner === after])).toEqual([
      [9, true],
      [10, true],
    ]);
    expect(await lines('kept')).toEqual([
      'loss{job="kept",phase="eval",step="1"} 10',
      'loss{job="kept",phase="train",step="1"} 9',
    ]);
  });
});

// Scrape targets declared on a job: validated by POST /api/v1/jobs, stored in the registry,
// shown by GET, scraped at once (attributed to the job), stopped when the job is deleted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, metricsHandler, Registry } from '@tally/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jobsCommand } from '../src/cli/jobs-command.js';
import type { RunningServer } from '../src/server.js';
import { api, startTestServer } from './helpers.js';

let server: RunningServer;
let app: Server;
let appUrl = '';
let scrapes = 0;

beforeAll(async () => {
  server = await startTestServer();
  const registry = new Registry();
  new Counter({ name: 'train_steps', help: 'Steps', registers: [registry] }).inc(3);
  const handler = metricsHandler(registry);
  app = createServer((req, res) => {
    scrapes++;
    handler(req, res);
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/metrics`;
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((r) => app.close(() => r()));
});

const selfMetric = async (name: string): Promise<number> => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
};

describe('scrape targets declared on jobs', () => {
  it.each([
    [{ scrapeTargets: 'http://x/' }, '"scrapeTargets" must be an array'],
    [{ scrapeTargets: [{}] }, 'scrapeTargets[0].url: required'],
    [{ scrapeTargets: [{ url: 'ftp://x/' }] }, 'scrapeTargets[0].url: must be http or https'],
    [{ scrapeTargets: [{ url: 'not a url' }] }, 'is not a URL'],
    [{ scrapeTargets: [{ url: 'http://u:p@x/' }] }, 'credentials in the URL are not supported'],
    [
      { scrapeTargets: [{ url: 'http://x/', intervalSeconds: 0 }] },
      'intervalSeconds: must be a number of seconds, at least 0.1',
    ],
    [{ scrapeTargets: [{ url: 'http://x/', intervalSeconds: '15' }] }, 'intervalSeconds: must be a number'],
    [
      { scrapeTargets: [{ url: 'http://x/', intervalSeconds: 5, timeoutSeconds: 6 }] },
      'timeoutSeconds: 6 is longer than intervalSeconds 5',
    ],
    [{ scrapeTargets: [{ url: 'http://x/', honorLabels: 'yes' }] }, 'honorLabels: must be true or false'],
    [{ scrapeTargets: [{ url: 'http://x/', every: 1 }] }, 'unknown key "every"'],
    [
      { scrapeTargets: [{ url: 'http://x/m' }, { url: 'http://x/m' }] },
      'scrapeTargets[1].url: http://x/m is listed twice',
    ],
    [
      { scrapeTargets: [null, { url: 'http://x/', intervalSeconds: -1 }] },
      'scrapeTargets[0]: expected an object',
    ],
  ])('refuses %j', async (extra, message) => {
    const r = await api(server, 'POST', '/api/v1/jobs', {
      name: 'bad-targets',
      kind: 'deployment',
      ...extra,
    });
    expect(r.status).toBe(400);
    expect(r.json.error).toContain(message);
    expect((await api(server, 'GET', '/api/v1/jobs/bad-targets')).status).toBe(404);
  });

  it('lists every problem of every target in one answer', async () => {
    const r = await api(server, 'POST', '/api/v1/jobs', {
      name: 'bad-targets',
      kind: 'deployment',
      scrapeTargets: [{ url: 'ftp://x/' }, { url: 'http://x/', timeoutSeconds: 0 }],
    });
    expect(r.status).toBe(400);
    expect(r.json.problems).toHaveLength(2);
  });

  it('scrapes a declared target into its job, shows it, and stops when the job is deleted', async () => {
    const created = await api(server, 'POST', '/api/v1/jobs', {
      name: 'scraped',
      kind: 'deployment',
      scrapeTargets: [{ url: appUrl, intervalSeconds: 0.2 }],
    });
    expect(created.status).toBe(201);
    const expected = [{ url: appUrl, intervalSeconds: 0.2, timeoutSeconds: 0.2, honorLabels: false }];
    expect(created.json.job.scrapeTargets).toEqual(expected);
    expect((await api(server, 'GET', '/api/v1/jobs/scraped')).json.job.scrapeTargets).toEqual(expected);
    await vi.waitFor(
      async () => {
        const r = await api(server, 'GET', `/api/v1/query?query=${encodeURIComponent('train_steps_total')}`);
        expect(r.json.data.result).toHaveLength(1);
        expect(r.json.data.result[0].metric).toMatchObject({
          job: 'scraped',
          instance: new URL(appUrl).host,
        });
        expect(r.json.data.result[0].value[1]).toBe('3');
      },
      { timeout: 30_000, interval: 100 },
    );
    const up = await api(server, 'GET', `/api/v1/query?query=${encodeURIComponent('up{job="scraped"}')}`);
    expect(up.json.data.result[0].value[1]).toBe('1');
    expect(await selfMetric('tally_scrape_leader')).toBe(1);
    expect(await selfMetric('tally_scrape_targets')).toBe(1);
    expect((await api(server, 'DELETE', '/api/v1/jobs/scraped')).status).toBe(200);
    await vi.waitFor(async () => expect(await selfMetric('tally_scrape_targets')).toBe(0), {
      timeout: 30_000,
      interval: 100,
    });
    expect(scrapes).toBeGreaterThan(0);
  });

  it('tally jobs create --scrape declares targets from the CLI', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await jobsCommand([
        'create',
        'cli-scraped',
        '--url',
        server.url,
        '--scrape',
        appUrl,
        '--scrape-interval',
        '30',
      ]);
      expect(code).toBe(0);
    } finally {
      write.mockRestore();
    }
    const job = (await api(server, 'GET', '/api/v1/jobs/cli-scraped')).json.job;
    expect(job.scrapeTargets).toEqual([
      { url: appUrl, intervalSeconds: 30, timeoutSeconds: 10, honorLabels: false },
    ]);
    expect((await api(server, 'DELETE', '/api/v1/jobs/cli-scraped')).status).toBe(200);
  });
});

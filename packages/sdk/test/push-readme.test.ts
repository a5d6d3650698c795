// The README's MetricsLogger and Pushgateway examples, run against a recording server.
import { afterEach, describe, expect, it } from 'vitest';
import { recordingServer } from './push-helpers.js';
import { readmeBlocks, runExample } from './push-readme-runner.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('README: Pushgateway and MetricsLogger', () => {
  const [loggerExample, gatewayExample] = readmeBlocks('ts push');

  it('has both examples', () => {
    expect(loggerExample).toContain('new MetricsLogger');
    expect(gatewayExample).toContain('new Pushgateway');
  });

  it('the seed’s MetricsLogger loop pushes the group every iteration', async () => {
    const s = await recordingServer();
    cleanups.push(s.close);
    const result = await runExample(loggerExample!, { TALLY_URL: s.url, TALLY_JOB_ID: 'readme-job' });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(s.requests.length).toBeGreaterThanOrEqual(2);
    for (const r of s.requests)
      expect([r.method, r.path]).toEqual(['PUT', '/metrics/job/readme-job/ProjectA/SomeLabel']);
    const last = s.requests.at(-1)!.body;
    expect(last).toMatch(/\nGauge (\d+)\n/);
    expect(last).toMatch(/\nCounter_total [2-9]\n/);
  }, 30_000);

  it('the Pushgateway example PUTs, POSTs and DELETEs one group', async () => {
    const s = await recordingServer();
    cleanups.push(s.close);
    const result = await runExample(gatewayExample!, { TALLY_URL: s.url });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const path = '/metrics/job/nightly-etl/shard@base64/ZXUvd2VzdA';
    expect(s.requests.map((r) => [r.method, r.path, r.headers['content-encoding']])).toEqual([
      ['PUT', path, 'gzip'],
      ['POST', path, 'gzip'],
      ['DELETE', path, undefined],
    ]);
    expect(s.requests[0]!.body).toContain('rows_processed_total 5000');
  }, 30_000);
});

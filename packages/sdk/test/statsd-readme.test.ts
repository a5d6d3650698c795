// The README's StatsD example, run against a UDP receiver: it sends what the README shows.
import { afterEach, describe, expect, it } from 'vitest';
import { readme, readmeBlocks, runExample } from './push-readme-runner.js';
import { udpReceiver } from './statsd-helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('README: StatsD client', () => {
  it('sends exactly the lines the README shows', async () => {
    const [example] = readmeBlocks('ts statsd');
    const at = readme.indexOf('On the wire, in one datagram');
    const start = readme.indexOf('```\n', at) + 4;
    const wire = readme.slice(start, readme.indexOf('\n```', start)).split('\n');
    const r = await udpReceiver();
    cleanups.push(() => r.close());
    const result = await runExample(example!, {
      TALLY_STATSD: `127.0.0.1:${r.port}`,
      TALLY_JOB_ID: 'train-7',
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = await r.waitForLines(wire.length);
    expect(r.datagrams).toHaveLength(1);
    expect(lines.map((l) => l.replace(/^testMetric2:\d+\|/, 'testMetric2:57|'))).toEqual(wire);
  }, 30_000);
});

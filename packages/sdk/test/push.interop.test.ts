// The Pushgateway client against Debian's real prometheus-pushgateway (1.5) on 127.0.0.1:
// push, pushAdd and delete give exactly the groups and series the Pushgateway then shows on
// /api/v1/metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable, type RunningPeer } from '../../../test-support/peers.js';
import { pushgatewayInstalled, startPushgateway } from '../../../test-support/pushgateway.js';
import { Counter } from '../src/metrics/counter.js';
import { Gauge } from '../src/metrics/gauge.js';
import { Histogram } from '../src/metrics/histogram.js';
import { Registry } from '../src/registry/registry.js';
import { Pushgateway } from '../src/push/pushgateway.js';
import { PushgatewayError } from '../src/push/pushgateway-error.js';

const run = peerAvailable('prometheus-pushgateway', pushgatewayInstalled());

interface ApiGroup {
  labels: Record<string, string>;
  [family: string]: unknown;
}
interface ApiFamily {
  type: string;
  metrics: { labels: Record<string, string>; value?: string; count?: string; sum?: string }[];
}
const META = new Set(['labels', 'last_push_successful', 'push_time_seconds', 'push_failure_time_seconds']);

describe.skipIf(!run)('Pushgateway client against prometheus-pushgateway', () => {
  let peer: RunningPeer;

  beforeAll(async () => {
    peer = await startPushgateway('pgw');
  });
  afterAll(async () => {
    await peer?.stop();
  });

  /** Groups as `{ labels, families: { name: { type, series: [labels, value] } } }`. */
  async function groups() {
    const res = await fetch(`${peer.url}/api/v1/metrics`);
    const json = (await res.json()) as { data: ApiGroup[] };
    return json.data
      .map((g) => {
        const families: Record<string, { type: string; series: [Record<string, string>, string][] }> = {};
        for (const [name, value] of Object.entries(g)) {
          if (META.has(name)) continue;
          const f = value as ApiFamily;
          families[name] = {
            type: f.type,
            series: f.metrics.map((m) => [m.labels, m.value ?? `count=${m.count} sum=${m.sum}`]),
          };
        }
        return { labels: g.labels, families };
      })
      .sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
  }

  const group1 = { job: 'train-1', run: 'a/b', empty: '' };
  // The Pushgateway adds an empty `instance` to every series pushed without one.
  const series1 = { ...group1, instance: '' };
  const series2 = { job: 'train-1', run: 'c', instance: '' };
  const key1 = { jobName: 'train-1', groupings: { run: 'a/b', empty: '' } };

  it('push (PUT) creates the group with exactly the pushed series', async () => {
    const r = new Registry();
    new Counter({ name: 'steps', help: 'Steps', registers: [r] }).inc(3);
    new Gauge({ name: 'loss', help: 'Loss', labelNames: ['phase'], registers: [r] }).labels('train').set(0.5);
    await new Pushgateway(peer.url, {}, r).push(key1);
    expect(await groups()).toEqual([
      {
        labels: group1,
        families: {
          steps_total: { type: 'COUNTER', series: [[series1, '3']] },
          loss: { type: 'GAUGE', series: [[{ ...series1, phase: 'train' }, '0.5']] },
        },
      },
    ]);
  });

  it('pushAdd (POST) replaces the pushed families and keeps the others', async () => {
    const r = new Registry();
    new Gauge({ name: 'loss', help: 'Loss', labelNames: ['phase'], registers: [r] }).labels('eval').set(0.25);
    new Histogram({ name: 'lat', help: 'Latency', buckets: [1], registers: [r] }).observe(0.5);
    await new Pushgateway(peer.url, {}, r).pushAdd(key1);
    const [g] = await groups();
    expect(Object.keys(g!.families).sort()).toEqual(['lat', 'loss', 'steps_total']);
    expect(g!.families.loss).toEqual({ type: 'GAUGE', series: [[{ ...series1, phase: 'eval' }, '0.25']] });
    expect(g!.families.steps_total).toEqual({ type: 'COUNTER', series: [[series1, '3']] });
    expect(g!.families.lat).toEqual({ type: 'HISTOGRAM', series: [[series1, 'count=1 sum=0.5']] });
  });

  it('push (PUT) again replaces the whole group; a second, gzip-pushed group stays apart', async () => {
    const r = new Registry();
    new Counter({ name: 'steps', help: 'Steps', registers: [r] }).inc(7);
    await new Pushgateway(peer.url, {}, r).push(key1);
    await new Pushgateway(peer.url, { gzip: true }, r).push({ jobName: 'train-1', groupings: { run: 'c' } });
    expect(await groups()).toEqual([
      { labels: group1, families: { steps_total: { type: 'COUNTER', series: [[series1, '7']] } } },
      {
        labels: { job: 'train-1', run: 'c' },
        families: { steps_total: { type: 'COUNTER', series: [[series2, '7']] } },
      },
    ]);
  });

  it('delete removes exactly that group', async () => {
    await new Pushgateway(peer.url, {}, new Registry()).delete(key1);
    expect((await groups()).map((g) => g.labels)).toEqual([{ job: 'train-1', run: 'c' }]);
  });

  it("rejects a bad body with the Pushgateway's status and message", async () => {
    const gw = new Pushgateway(peer.url, {}, { metrics: () => 'bad metric{\n' });
    const error = await gw.push({ jobName: 'broken' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushgatewayError);
    expect((error as PushgatewayError).status).toBe(400);
    expect((error as PushgatewayError).body).toMatch(/pars/i);
  });
});

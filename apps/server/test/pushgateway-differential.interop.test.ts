// Differential test against the real Pushgateway (Debian's prometheus-pushgateway): the same
// sequence of PUT/POST/DELETE requests, good and bad, sent to both must give the same status
// codes and the same resulting groups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable, type RunningPeer } from '../../../test-support/peers.js';
import { pushgatewayInstalled, startPushgateway } from '../../../test-support/pushgateway.js';
import type { RunningServer } from '../src/server.js';
import { startTestServer } from './helpers.js';

interface Step {
  method: 'PUT' | 'POST' | 'DELETE';
  path: string;
  body?: string;
}

const HIST = '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 2\n';
const STEPS: Step[] = [
  { method: 'PUT', path: '/metrics/job/a', body: '# TYPE x counter\nx 1\n' },
  { method: 'POST', path: '/metrics/job/a', body: '# TYPE y gauge\ny{l="1"} 2\ny{l="2"} 3\n' },
  { method: 'PUT', path: '/metrics/job/b/instance/i1', body: '# TYPE x gauge\nx 3\n' },
  { method: 'PUT', path: '/metrics/job/b/instance/i1', body: '# TYPE x counter\nx 3\n' },
  { method: 'POST', path: '/metrics/job/a', body: '# TYPE y gauge\ny 5 1700000000000\n' },
  { method: 'PUT', path: '/metrics/job/c', body: '# TYPE d gauge\nd{a="1"} 1\nd{a="1"} 2\n' },
  { method: 'PUT', path: '/metrics/job/h', body: HIST },
  { method: 'PUT', path: '/metrics/job/k', body: '# TYPE h_count gauge\nh_count 1\n' },
  { method: 'PUT', path: '/metrics/job/k', body: '# TYPE h_bucket untyped\nh_bucket 1\n' },
  {
    method: 'PUT',
    path: '/metrics/job/s',
    body: '# TYPE sm summary\nsm{quantile="0.5"} 1\nsm_sum 2\nsm_count 3\n',
  },
  { method: 'PUT', path: '/metrics/job/s2', body: '# TYPE sm_sum gauge\nsm_sum 1\n' },
  { method: 'PUT', path: '/metrics/job/s3', body: '# TYPE sm_bucket gauge\nsm_bucket 1\n' },
  { method: 'POST', path: '/metrics/job/a', body: '' },
  { method: 'PUT', path: '/metrics/job/e', body: '# TYPE g gauge\ng 1\n' },
  { method: 'PUT', path: '/metrics/job/e', body: '' },
  { method: 'DELETE', path: '/metrics/job/b/instance/i1' },
  { method: 'DELETE', path: '/metrics/job/never-pushed' },
  { method: 'PUT', path: '/metrics/job/p/path@base64/L3Zhci90bXA', body: 'z 1\n' },
  { method: 'PUT', path: '/metrics/job/p/first@base64/=/second/x', body: 'z 2\n' },
  { method: 'PUT', path: '/metrics/job/bad/__x/1', body: 'z 1\n' },
  { method: 'PUT', path: '/metrics/job/bad/odd', body: 'z 1\n' },
  { method: 'PUT', path: '/metrics/job/bad/a=b/1', body: 'z 1\n' },
  { method: 'PUT', path: '/metrics/job/bad/x@base64/foo.bar', body: 'z 1\n' },
  {
    method: 'POST',
    path: '/metrics/job/m',
    body: '# TYPE m gauge\nm{job="other",q="v"} 1\nm{instance="bodyinst",q="w"} 2\n',
  },
  { method: 'PUT', path: '/metrics/job/m2', body: 'not valid {\n' },
  { method: 'PUT', path: '/metrics/job/m2', body: '# TYPE q gauge\n# TYPE q counter\nq 1\n' },
  { method: 'PUT', path: '/metrics/job/a2', body: '# HELP x other help\n# TYPE x counter\nx 2\n' },
  { method: 'PUT', path: '/metrics/job/a', body: '# TYPE x counter\nx 7\n# TYPE w untyped\nw 1\n' },
  { method: 'POST', path: '/metrics/job/a', body: '# TYPE w gauge\nw 2\n' },
  {
    method: 'PUT',
    path: '/metrics/job/u',
    body: 'untyped_one{a="b"} 1.5e-7\nuntyped_two +Inf\nuntyped_three NaN\n',
  },
  { method: 'PUT', path: '/metrics/job/n/instance/', body: 'z 1\n' },
  { method: 'DELETE', path: '/metrics/job/e' },
];

interface GroupView {
  labels: Record<string, string>;
  failed: boolean;
  families: Record<string, { type: string; metrics: string[] }>;
}

/** The groups as /api/v1/metrics shows them, reduced to what both must agree on. */
async function groups(baseUrl: string): Promise<Record<string, GroupView>> {
  const body = (await (await fetch(baseUrl + '/api/v1/metrics')).json()) as {
    data: Record<string, unknown>[];
  };
  const out: Record<string, GroupView> = {};
  for (const g of body.data) {
    const labels = Object.fromEntries(
      Object.entries(g.labels as Record<string, string>).filter(([, v]) => v !== ''),
    );
    const view: GroupView = {
      labels,
      failed: Number((g.push_failure_time_seconds as { metrics: { value: string }[] }).metrics[0]!.value) > 0,
      families: {},
    };
    for (const [name, f] of Object.entries(g)) {
      if (['labels', 'last_push_successful', 'push_time_seconds', 'push_failure_time_seconds'].includes(name))
        continue;
      const fam = f as { type: string; metrics: { labels: Record<string, string>; value?: string }[] };
      view.families[name] = {
        type: fam.type,
        // Histograms and summaries have different JSON shapes here; their samples are compared through /metrics.
        metrics:
          fam.type === 'HISTOGRAM' || fam.type === 'SUMMARY'
            ? []
            : fam.metrics
                .map((m) =>
                  JSON.stringify([
                    Object.entries(m.labels)
                      .filter(([, v]) => v !== '')
                      .sort(),
                    m.value,
                  ]),
                )
                .sort(),
      };
    }
    out[JSON.stringify(Object.entries(labels).sort())] = view;
  }
  return out;
}

/** Pushed series lines of a /metrics scrape (no HELP/TYPE, no self metrics, no push times), normalised. */
async function pushedLines(baseUrl: string): Promise<string[]> {
  const text = await (await fetch(baseUrl + '/metrics')).text();
  return text
    .split('\n')
    .filter(
      (l) =>
        l !== '' &&
        !l.startsWith('#') &&
        !/^(go_|process_|pushgateway_|promhttp_|tally_|push_time_seconds|push_failure_time_seconds)/.test(l),
    )
    .map((l) =>
      l
        // An empty label is an absent label in Prometheus: Tally drops it, the Pushgateway writes it.
        .replace(/,?[a-zA-Z_][a-zA-Z0-9_]*=""/g, '')
        .replace('{}', '')
        .replace('{,', '{')
        .replace(/le="1\.0"/, 'le="1"'),
    )
    .sort();
}

const available = peerAvailable('prometheus-pushgateway (Debian)', pushgatewayInstalled());

describe.runIf(available)('differential: Tally vs the real Pushgateway', () => {
  let pgw: RunningPeer;
  let tally: RunningServer;
  beforeAll(async () => {
    pgw = await startPushgateway('pgw-diff');
    tally = await startTestServer();
  });
  afterAll(async () => {
    await pgw.stop();
    await tally.close();
  });

  it('gives the same status codes, groups and exposition for the same request sequence', async () => {
    const codes: { step: string; pushgateway: number; tally: number }[] = [];
    for (const step of STEPS) {
      const send = async (base: string): Promise<number> => {
        const res = await fetch(base + step.path, {
          method: step.method,
          ...(step.body === undefined ? {} : { body: step.body }),
          headers: { 'content-type': 'text/plain; version=0.0.4' },
        });
        await res.text();
        return res.status;
      };
      codes.push({
        step: `${step.method} ${step.path} ${JSON.stringify(step.body ?? '').slice(0, 40)}`,
        pushgateway: await send(pgw.url),
        tally: await send(tally.url),
      });
    }
    expect(codes.filter((c) => c.pushgateway !== c.tally)).toEqual([]);
    const [tg, pg] = [await groups(tally.url), await groups(pgw.url)];
    if (process.env.TALLY_DIFF_DUMP) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync('/tmp/diff-tally.json', JSON.stringify(tg, null, 1));
      writeFileSync('/tmp/diff-pgw.json', JSON.stringify(pg, null, 1));
      writeFileSync('/tmp/diff-codes.json', JSON.stringify(codes, null, 1));
    }
    expect(tg).toEqual(pg);
    const [tl, pl] = [await pushedLines(tally.url), await pushedLines(pgw.url)];
    if (process.env.TALLY_DIFF_DUMP) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync('/tmp/diff-lines.txt', tl.join('\n') + '\n=====\n' + pl.join('\n'));
    }
    expect(tl).toEqual(pl);
  });
});

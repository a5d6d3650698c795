// Issue 6's differential test through both HTTP APIs: the same seeded dataset remote-written to
// Debian's Prometheus 2.42 and to a real `tally serve` (embedded TSDB), then every query of the
// PromQL differential list asked of both /api/v1/query and /api/v1/query_range; the JSON bodies
// must agree to 1e-9 relative. (packages/promql's own differential test checks the engine
// directly; this one adds the server's parameter parsing, storage and JSON on top.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerAvailable } from '../../../test-support/peers.js';
import { DIFF_BASE_MS, differentialDataset } from '../../../packages/promql/test/support/dataset.js';
import {
  prometheusBinary,
  startPrometheus,
  type PrometheusPeer,
  type PrometheusResponse,
} from '../../../packages/promql/test/support/prometheus-peer.js';
import { remoteWrite } from '../../../packages/promql/test/support/remote-write.js';
import { DIFFERENTIAL_EXPRESSIONS } from '../../../packages/promql/test/differential-queries.js';
import { startTestServer } from './helpers.js';
import type { RunningServer } from '../src/server.js';

const INSTANT_TIMES_S = [
  (DIFF_BASE_MS + 45 * 60_000 + 7_300) / 1000,
  (DIFF_BASE_MS + 100 * 60_000 + 3_100) / 1000,
];
const RANGE = {
  start: String((DIFF_BASE_MS + 10 * 60_000 + 7_300) / 1000),
  end: String((DIFF_BASE_MS + 110 * 60_000 + 7_300) / 1000),
  step: '60',
};

interface Row {
  key: string;
  points: [number, string][];
}

function sameFloat(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a.replace('Inf', 'Infinity'));
  const y = Number(b.replace('Inf', 'Infinity'));
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

function rows(data: unknown): { type: string; rows: Row[] } {
  const d = data as { resultType: string; result: unknown };
  const key = (m: Record<string, string>): string =>
    JSON.stringify(
      Object.keys(m)
        .sort()
        .map((k) => [k, m[k]]),
    );
  if (d.resultType === 'scalar' || d.resultType === 'string')
    return { type: d.resultType, rows: [{ key: '', points: [d.result as [number, string]] }] };
  const list = d.result as {
    metric: Record<string, string>;
    value?: [number, string];
    values?: [number, string][];
  }[];
  return {
    type: d.resultType,
    rows: list.map((s) => ({ key: key(s.metric), points: s.values ?? (s.value ? [s.value] : []) })),
  };
}

/** Differences between Prometheus's and Tally's `data` (empty when they agree). */
function diff(theirs: unknown, ours: unknown, ordered: boolean): string[] {
  const a = rows(theirs);
  const b = rows(ours);
  if (a.type !== b.type) return [`resultType ${a.type} vs ${b.type}`];
  const out: string[] = [];
  if (a.rows.length !== b.rows.length) out.push(`${a.rows.length} series vs ${b.rows.length}`);
  const byKey = new Map(b.rows.map((r) => [r.key, r]));
  a.rows.forEach((r, i) => {
    const mine = ordered ? b.rows[i] : byKey.get(r.key);
    if (!mine || mine.key !== r.key) {
      out.push(`missing ${r.key}`);
      return;
    }
    if (mine.points.length !== r.points.length)
      out.push(`${r.key}: ${r.points.length} points vs ${mine.points.length}`);
    r.points.forEach((p, k) => {
      const q = mine.points[k];
      if (!q || q[0] !== p[0] || !sameFloat(p[1], q[1]))
        out.push(`${r.key} @${p[0]}: ${p[1]} vs ${q?.[1] ?? 'none'}`);
    });
  });
  return out.slice(0, 5);
}

describe.runIf(peerAvailable('prometheus (Debian 2.42)', prometheusBinary() !== undefined))(
  'differential over HTTP: tally serve vs Prometheus 2.42',
  () => {
    let prom: PrometheusPeer;
    let tally: RunningServer;
    let agreed = 0;

    const ask = async (
      base: string,
      path: string,
      params: Record<string, string>,
    ): Promise<PrometheusResponse> => {
      const res = await fetch(`${base}${path}?${new URLSearchParams(params).toString()}`);
      return (await res.json()) as PrometheusResponse;
    };

    beforeAll(async () => {
      const data = differentialDataset();
      prom = await startPrometheus();
      tally = await startTestServer(['--storage', 'tsdb']);
      await prom.write(data);
      await remoteWrite(`${tally.url}/api/v1/write`, data);
    }, 180_000);

    afterAll(async () => {
      await prom?.stop();
      await tally?.close();
      console.log(`HTTP differential: ${agreed} query responses of tally serve agreed with Prometheus 2.42`);
    });

    it.each(DIFFERENTIAL_EXPRESSIONS.map((q) => [q]))('%s', async (query) => {
      const ordered = /^sort/.test(query);
      const problems: string[] = [];
      for (const time of INSTANT_TIMES_S) {
        const params = { query, time: time.toFixed(3) };
        const [theirs, ours] = await Promise.all([
          prom.api('/api/v1/query', params),
          ask(tally.url, '/api/v1/query', params),
        ]);
        expect(theirs.status, theirs.error).toBe('success');
        expect(ours.status, ours.error).toBe('success');
        const d = diff(theirs.data, ours.data, ordered);
        if (d.length > 0) problems.push(`instant @${params.time}: ${d.join('; ')}`);
        else agreed++;
      }
      const params = { query, ...RANGE };
      const [theirs, ours] = await Promise.all([
        prom.api('/api/v1/query_range', params),
        ask(tally.url, '/api/v1/query_range', params),
      ]);
      expect(theirs.status, theirs.error).toBe('success');
      expect(ours.status, ours.error).toBe('success');
      const d = diff(theirs.data, ours.data, false);
      if (d.length > 0) problems.push(`range: ${d.join('; ')}`);
      else agreed++;
      expect(problems).toEqual([]);
    });
  },
);

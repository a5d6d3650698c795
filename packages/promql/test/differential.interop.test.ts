import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStorage } from '@tally/storage';
import { Engine, toPrometheusData, type QueryResult } from '../src/index.js';
import { peerAvailable } from '../../../test-support/peers.js';
import { DIFF_BASE_MS, differentialDataset } from './support/dataset.js';
import { prometheusBinary, startPrometheus, type PrometheusPeer } from './support/prometheus-peer.js';
import { DIFFERENTIAL_EXPRESSIONS, KNOWN_DIFFERENCES } from './differential-queries.js';

// Tally's engine over MemoryStorage against Debian's Prometheus 2.42 over the same samples
// (remote-written). Query times sit 7.3 s past the 15 s marks, samples 2.3–3.3 s past them.
const INSTANT_TIMES_MS = [DIFF_BASE_MS + 45 * 60_000 + 7_300, DIFF_BASE_MS + 100 * 60_000 + 3_100];
const RANGE = {
  startMs: DIFF_BASE_MS + 10 * 60_000 + 7_300,
  endMs: DIFF_BASE_MS + 110 * 60_000 + 7_300,
  stepMs: 60_000,
};

type Data = ReturnType<typeof toPrometheusData>;

function sameFloat(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a.replace('Inf', 'Infinity'));
  const y = Number(b.replace('Inf', 'Infinity'));
  if (Number.isNaN(x) || Number.isNaN(y)) return false;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

/** Differences between two `data` members (empty when they agree to 1e-9 relative). */
function diff(theirs: Data, ours: Data, ordered: boolean): string[] {
  if (theirs.resultType !== ours.resultType) return [`resultType ${theirs.resultType} vs ${ours.resultType}`];
  if (theirs.resultType === 'scalar' && ours.resultType === 'scalar')
    return theirs.result[0] === ours.result[0] && sameFloat(theirs.result[1], ours.result[1])
      ? []
      : [`scalar ${JSON.stringify(theirs.result)} vs ${JSON.stringify(ours.result)}`];
  type Row = { metric: Record<string, string>; points: [number, string][] };
  const rows = (d: Data): Row[] =>
    d.resultType === 'vector'
      ? d.result.map((s) => ({ metric: s.metric, points: [s.value] }))
      : d.resultType === 'matrix'
        ? d.result.map((s) => ({ metric: s.metric, points: s.values }))
        : [];
  const key = (m: Record<string, string>): string =>
    JSON.stringify(
      Object.keys(m)
        .sort()
        .map((k) => [k, m[k]]),
    );
  const a = rows(theirs);
  const b = rows(ours);
  const out: string[] = [];
  if (a.length !== b.length) out.push(`${a.length} series vs ${b.length}`);
  const byKey = new Map(b.map((r) => [key(r.metric), r]));
  a.forEach((r, i) => {
    const mine = ordered ? b[i] : byKey.get(key(r.metric));
    if (!mine || key(mine.metric) !== key(r.metric)) {
      out.push(`missing ${key(r.metric)}${ordered ? ` at position ${i}` : ''}`);
      return;
    }
    if (mine.points.length !== r.points.length)
      out.push(`${key(r.metric)}: ${r.points.length} points vs ${mine.points.length}`);
    r.points.forEach((p, k) => {
      const q = mine.points[k];
      if (!q || q[0] !== p[0] || !sameFloat(p[1], q[1]))
        out.push(`${key(r.metric)} @${p[0]}: ${p[1]} vs ${q?.[1] ?? 'none'}`);
    });
  });
  return out.slice(0, 5);
}

describe.runIf(peerAvailable('prometheus (Debian 2.42)', prometheusBinary() !== undefined))(
  'differential: Tally vs Prometheus 2.42',
  () => {
    let prom: PrometheusPeer;
    const storage = new MemoryStorage();
    const engine = new Engine();
    const factory = (a: number, b: number) => storage.querier(a, b);
    const tally = { instant: 0, range: 0 };

    beforeAll(async () => {
      const data = differentialDataset();
      prom = await startPrometheus();
      await prom.write(data);
      const app = storage.appender();
      for (const s of data)
        for (let i = 0; i < s.timestamps.length; i++) app.append(s.labels, s.timestamps[i]!, s.values[i]!);
      await app.commit();
    }, 120_000);

    afterAll(async () => {
      await prom?.stop();
      console.log(
        `differential: ${DIFFERENTIAL_EXPRESSIONS.length} expressions, ${tally.instant} instant and ${tally.range} range queries agreed with Prometheus 2.42 to 1e-9 relative`,
      );
    });

    const seconds = (ms: number): string => (ms / 1000).toFixed(3);

    it.each(DIFFERENTIAL_EXPRESSIONS.map((q) => [q]))('%s', async (query) => {
      const ordered = /^sort/.test(query);
      const problems: string[] = [];
      for (const t of INSTANT_TIMES_MS) {
        const theirs = await prom.api('/api/v1/query', { query, time: seconds(t) });
        expect(theirs.status, theirs.error).toBe('success');
        const ours = toPrometheusData(await engine.instantQuery(factory, query, t));
        const d = diff(theirs.data as Data, ours, ordered);
        if (d.length > 0) problems.push(`instant @${seconds(t)}: ${d.join('; ')}`);
        else tally.instant++;
      }
      const theirs = await prom.api('/api/v1/query_range', {
        query,
        start: seconds(RANGE.startMs),
        end: seconds(RANGE.endMs),
        step: String(RANGE.stepMs / 1000),
      });
      expect(theirs.status, theirs.error).toBe('success');
      const ours: QueryResult = await engine.rangeQuery(
        factory,
        query,
        RANGE.startMs,
        RANGE.endMs,
        RANGE.stepMs,
      );
      const d = diff(theirs.data as Data, toPrometheusData(ours), false);
      if (d.length > 0) problems.push(`range: ${d.join('; ')}`);
      else tally.range++;
      expect(problems).toEqual([]);
    });

    it('prints the known 2.42 vs 3.x differences side by side', async () => {
      const t = INSTANT_TIMES_MS[0]!;
      for (const k of KNOWN_DIFFERENCES) {
        const theirs = await prom.api('/api/v1/query', { query: k.query, time: seconds(t) });
        let ours: string;
        try {
          ours = JSON.stringify(toPrometheusData(await engine.instantQuery(factory, k.query, t))).slice(
            0,
            200,
          );
        } catch (err) {
          ours = `error: ${(err as Error).message}`;
        }
        const theirsText =
          theirs.status === 'success'
            ? JSON.stringify(theirs.data).slice(0, 200)
            : `error: ${theirs.error ?? ''}`;
        console.log(
          `known difference "${k.name}" (${k.why}):\n  query: ${k.query}\n  2.42:  ${theirsText}\n  tally: ${ours}`,
        );
        expect(ours.startsWith('error')).toBe(false);
      }
    });
  },
);

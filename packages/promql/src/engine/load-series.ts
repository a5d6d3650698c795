import { isStaleNaN } from '@tally/model';
import type { Querier } from '@tally/storage';
import type { VectorSelector } from '../parser/ast.js';
import type { LimitTracker } from './limits.js';
import type { SelectorLoad } from './plan-loads.js';
import type { SampleSeries } from './value.js';

/**
 * Reads every planned selector's series once into typed arrays. Range selectors drop stale
 * markers (Prometheus excludes them from range vectors); instant selectors keep them, since a
 * stale marker ends the lookback.
 */
export async function loadSeries(
  querier: Querier,
  plans: ReadonlyMap<VectorSelector, SelectorLoad>,
  limits: LimitTracker,
  stepMs: number,
): Promise<Map<VectorSelector, SampleSeries[]>> {
  const out = new Map<VectorSelector, SampleSeries[]>();
  for (const [vs, plan] of plans) {
    const hints = {
      startMs: plan.minMs,
      endMs: plan.maxMs,
      stepMs,
      ...(plan.func !== undefined ? { func: plan.func } : {}),
      ...(plan.isRange ? { rangeMs: plan.rangeMs } : {}),
    };
    const selected = await querier.select(vs.matchers, hints);
    limits.addSeries(selected.length);
    const list: SampleSeries[] = [];
    const { minMs, maxMs, isRange } = plan;
    let capacity = 64;
    for (const s of selected) {
      limits.check();
      const it = s.iterator();
      // Start at the size the previous series needed: series of one selector tend to match.
      let ts = new Float64Array(capacity);
      let vals = new Float64Array(capacity);
      let stale: Uint8Array | undefined;
      let n = 0;
      if (it.seek(minMs)) {
        do {
          const t = it.t;
          if (t > maxMs) break;
          const v = it.v;
          const isStale = v !== v && isStaleNaN(v);
          if (isRange && isStale) continue;
          if (n === ts.length) {
            const nt = new Float64Array(n * 2);
            nt.set(ts);
            ts = nt;
            const nv = new Float64Array(n * 2);
            nv.set(vals);
            vals = nv;
            if (stale) {
              const ns = new Uint8Array(n * 2);
              ns.set(stale);
              stale = ns;
            }
          }
          if (isStale) {
            stale ??= new Uint8Array(ts.length);
            stale[n] = 1;
          }
          ts[n] = t;
          vals[n] = v;
          n++;
        } while (it.next());
      }
      if (n === 0) continue;
      capacity = Math.max(64, n);
      limits.addSamples(n);
      list.push({ labels: s.labels, timestamps: ts, values: vals, length: n, dropName: false, stale });
    }
    out.set(vs, list);
  }
  return out;
}

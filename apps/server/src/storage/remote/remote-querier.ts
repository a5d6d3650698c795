import { compareLabels } from '@tally/model';
import { ArrayIterator, type Matcher, type Querier, type Series } from '@tally/storage';
import { apiTime, formatSelector, getApi, parseMatrix } from './prometheus-api.js';
import type { RemoteHttpClient } from './remote-http-client.js';

/** What a remote querier needs from its storage. */
export interface RemoteReadContext {
  readonly client: RemoteHttpClient;
  readonly queryUrl: string;
  /** Read-after-write: waits for the queue (and engine buffers) before a read. */
  beforeRead(): Promise<void>;
}

// Engines refuse absurd windows (Prometheus: "duration out of range" past ~292 years of
// nanoseconds; VictoriaMetrics answers nothing): reads are clamped to what an engine can hold —
// nothing before the epoch, nothing later than two days ahead (VictoriaMetrics refuses samples
// further in the future than that).
const FUTURE_SLACK_MS = 2 * 86_400_000;

/**
 * Reads raw samples through the Prometheus HTTP API: `/api/v1/query` of the range selector
 * `{matchers}[Nms]` evaluated at the end of the window returns every stored sample in it
 * (Prometheus 2.x, VictoriaMetrics, Mimir, Thanos all answer a bare range selector with raw
 * samples), which the local PromQL engine then evaluates. Samples are filtered to the
 * inclusive window here, as engines differ on whether the window's start is included.
 */
export class RemoteQuerier implements Querier {
  constructor(
    private readonly ctx: RemoteReadContext,
    readonly minTimeMs: number,
    readonly maxTimeMs: number,
  ) {}

  private window(): [number, number] {
    return [Math.max(this.minTimeMs, 0), Math.min(this.maxTimeMs, Date.now() + FUTURE_SLACK_MS)];
  }

  async select(matchers: readonly Matcher[]): Promise<Series[]> {
    const [lo, hi] = this.window();
    if (hi < lo) return [];
    await this.ctx.beforeRead();
    const params = new URLSearchParams({
      query: `${formatSelector(matchers)}[${Math.floor(hi - lo) + 1}ms]`,
      time: apiTime(hi),
    });
    const raw = parseMatrix(await getApi(this.ctx.client, this.ctx.queryUrl, '/api/v1/query', params));
    const out: Series[] = [];
    for (const s of raw) {
      const ts: number[] = [];
      const vs: number[] = [];
      for (let i = 0; i < s.timestampsMs.length; i++) {
        const t = s.timestampsMs[i]!;
        if (t < lo || t > hi) continue;
        ts.push(t);
        vs.push(s.values[i]!);
      }
      if (ts.length > 0) out.push({ labels: s.labels, iterator: () => new ArrayIterator(ts, vs) });
    }
    return out.sort((a, b) => compareLabels(a.labels, b.labels));
  }

  async labelNames(matchers?: readonly Matcher[]): Promise<string[]> {
    return this.labelApi('/api/v1/labels', matchers);
  }

  async labelValues(name: string, matchers?: readonly Matcher[]): Promise<string[]> {
    return this.labelApi(`/api/v1/label/${encodeURIComponent(name)}/values`, matchers);
  }

  private async labelApi(path: string, matchers: readonly Matcher[] | undefined): Promise<string[]> {
    const [lo, hi] = this.window();
    if (hi < lo) return [];
    await this.ctx.beforeRead();
    const params = new URLSearchParams({ start: apiTime(lo), end: apiTime(hi) });
    if (matchers && matchers.length > 0) params.set('match[]', formatSelector(matchers));
    const data = await getApi(this.ctx.client, this.ctx.queryUrl, path, params);
    return (Array.isArray(data) ? (data as string[]) : []).slice().sort();
  }

  close(): void {
    // Nothing pinned: every read is one stateless HTTP call.
  }
}

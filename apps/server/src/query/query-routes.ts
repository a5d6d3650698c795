import {
  Engine,
  formatQuery,
  parseExpr,
  QueryError,
  toPrometheusData,
  type QueryResult,
} from '@tally/promql';
import { InvalidMatcherError, type Matcher } from '@tally/storage';
import { unauthorized } from '../auth/auth.js';
import type { Principal } from '../auth/principal.js';
import { readForm } from '../http/body.js';
import { HttpError } from '../http/http-error.js';
import { sendJson } from '../http/respond.js';
import type { RequestContext } from '../http/router.js';
import { buildInfo } from '../ingest/pushgateway/pushgateway-read-routes.js';
import type { ServerParts } from '../server.js';
import { MAX_TIME_MS, MIN_TIME_MS, parseDurationParam, parseLimitParam, parseTimeParam } from './params.js';
import { querierFactoryFor } from './scoped-querier.js';
import { tryForwardQuery } from '../storage/remote/forward-query.js';

const STATUS: Record<string, number> = { bad_data: 400, execution: 422, timeout: 503, canceled: 503 };

/** Engine and parser errors in Prometheus' shape; anything else goes on to the generic mapping. */
function queryError(err: unknown): unknown {
  if (err instanceof QueryError)
    return new HttpError(STATUS[err.errorType] ?? 422, err.errorType, err.message);
  if (err instanceof InvalidMatcherError) return new HttpError(400, 'bad_data', err.message);
  return err;
}

function success(ctx: RequestContext, data: unknown, notes?: { warnings: string[]; infos: string[] }): void {
  const body: Record<string, unknown> = { status: 'success', data };
  if (notes?.warnings.length) body.warnings = notes.warnings;
  if (notes?.infos.length) body.infos = notes.infos;
  sendJson(ctx.res, 200, body);
}

/** Parses `match[]` selectors into matcher lists (each must be a plain series selector). */
function parseMatchers(selectors: string[]): Matcher[][] {
  return selectors.map((s) => {
    const expr = parseExpr(s);
    if (expr.type !== 'VectorSelector') {
      throw new HttpError(
        400,
        'bad_data',
        `invalid parameter "match[]": ${JSON.stringify(s)} is not a series selector`,
      );
    }
    if (expr.matchers.every((m) => m.matchesEmpty())) {
      throw new HttpError(
        400,
        'bad_data',
        'invalid parameter "match[]": match[] must contain at least one non-empty matcher',
      );
    }
    return [...expr.matchers];
  });
}

const sortStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The Prometheus HTTP query API (issue 6): the shapes Grafana and the UI depend on. Read access
 * needs a read or admin token when auth is on; a job's push token reads only its job.
 */
export function addQueryRoutes(parts: ServerParts): void {
  const { router, config, storage, jobs } = parts;
  const engine = new Engine({ timeoutMs: config.queryTimeoutMs, maxSamples: config.queryMaxSamples });
  const reader = (ctx: RequestContext): Principal => {
    const p = parts.principal(ctx);
    if (p.kind === 'anonymous') throw unauthorized('querying requires a token');
    return p;
  };
  const form = (ctx: RequestContext): Promise<URLSearchParams> =>
    readForm(ctx.req, ctx.url, config.limits.maxBodyBytes);
  const timeoutOf = (f: URLSearchParams): number | undefined => {
    const t = f.get('timeout');
    if (t === null || t === '') return undefined;
    return Math.min(parseDurationParam('timeout', t), config.queryTimeoutMs);
  };
  const run = async (fn: () => Promise<QueryResult>): Promise<QueryResult> => {
    try {
      return await fn();
    } catch (err) {
      throw queryError(err);
    }
  };

  const forwardQueries = config.beyond.remote?.forwardQueries ?? false;
  router.add(['GET', 'POST'], '/api/v1/query', async (ctx) => {
    const p = reader(ctx);
    const f = await form(ctx);
    if (await tryForwardQuery(storage, forwardQueries, p, ctx, '/api/v1/query', f)) return;
    const timeMs = parseTimeParam('time', f.get('time'), Date.now());
    const timeoutMs = timeoutOf(f);
    const result = await run(() =>
      engine.instantQuery(
        querierFactoryFor(storage, p),
        f.get('query') ?? '',
        timeMs,
        timeoutMs === undefined ? {} : { timeoutMs },
      ),
    );
    success(ctx, toPrometheusData(result), result);
  });

  router.add(['GET', 'POST'], '/api/v1/query_range', async (ctx) => {
    const p = reader(ctx);
    const f = await form(ctx);
    if (await tryForwardQuery(storage, forwardQueries, p, ctx, '/api/v1/query_range', f)) return;
    const startMs = parseTimeParam('start', f.get('start') ?? '', NaN);
    const endMs = parseTimeParam('end', f.get('end') ?? '', NaN);
    if (Number.isNaN(startMs))
      throw new HttpError(400, 'bad_data', 'invalid parameter "start": cannot parse "" to a valid timestamp');
    if (Number.isNaN(endMs))
      throw new HttpError(400, 'bad_data', 'invalid parameter "end": cannot parse "" to a valid timestamp');
    if (endMs < startMs)
      throw new HttpError(
        400,
        'bad_data',
        'invalid parameter "end": end timestamp must not be before start time',
      );
    const stepMs = parseDurationParam('step', f.get('step') ?? '');
    if (stepMs <= 0) {
      throw new HttpError(
        400,
        'bad_data',
        'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    }
    if ((endMs - startMs) / stepMs > 11000) {
      throw new HttpError(
        400,
        'bad_data',
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      );
    }
    const timeoutMs = timeoutOf(f);
    const result = await run(() =>
      engine.rangeQuery(
        querierFactoryFor(storage, p),
        f.get('query') ?? '',
        startMs,
        endMs,
        stepMs,
        timeoutMs === undefined ? {} : { timeoutMs },
      ),
    );
    success(ctx, toPrometheusData(result), result);
  });

  router.add(['GET', 'POST'], '/api/v1/series', async (ctx) => {
    const p = reader(ctx);
    const f = await form(ctx);
    const selectors = f.getAll('match[]');
    if (selectors.length === 0) throw new HttpError(400, 'bad_data', 'no match[] parameter provided');
    const sets = (() => {
      try {
        return parseMatchers(selectors);
      } catch (err) {
        throw queryError(err);
      }
    })();
    const startMs = parseTimeParam('start', f.get('start'), MIN_TIME_MS);
    const endMs = parseTimeParam('end', f.get('end'), MAX_TIME_MS);
    const limit = parseLimitParam(f.get('limit'));
    const q = querierFactoryFor(storage, p)(startMs, endMs);
    try {
      const seen = new Map<string, Record<string, string>>();
      for (const matchers of sets) {
        for (const s of await q.select(matchers)) {
          const rec: Record<string, string> = {};
          for (const l of s.labels) rec[l.name] = l.value;
          seen.set(JSON.stringify(s.labels), rec);
        }
      }
      const data = [...seen.entries()].sort(([a], [b]) => sortStrings(a, b)).map(([, r]) => r);
      const warnings = limit > 0 && data.length > limit ? ['results truncated due to limit'] : [];
      success(ctx, limit > 0 ? data.slice(0, limit) : data, { warnings, infos: [] });
    } finally {
      q.close();
    }
  });

  const labelLookup = async (
    ctx: RequestContext,
    lookup: (q: ReturnType<ReturnType<typeof querierFactoryFor>>, m?: Matcher[]) => Promise<string[]>,
  ): Promise<void> => {
    const p = reader(ctx);
    const f = await form(ctx);
    let sets: Matcher[][];
    try {
      sets = parseMatchers(f.getAll('match[]'));
    } catch (err) {
      throw queryError(err);
    }
    const startMs = parseTimeParam('start', f.get('start'), MIN_TIME_MS);
    const endMs = parseTimeParam('end', f.get('end'), MAX_TIME_MS);
    const limit = parseLimitParam(f.get('limit'));
    const q = querierFactoryFor(storage, p)(startMs, endMs);
    try {
      const all = new Set<string>();
      if (sets.length === 0) for (const v of await lookup(q)) all.add(v);
      for (const m of sets) for (const v of await lookup(q, m)) all.add(v);
      const data = [...all].sort(sortStrings);
      const warnings = limit > 0 && data.length > limit ? ['results truncated due to limit'] : [];
      success(ctx, limit > 0 ? data.slice(0, limit) : data, { warnings, infos: [] });
    } finally {
      q.close();
    }
  };
  router.add(['GET', 'POST'], '/api/v1/labels', (ctx) => labelLookup(ctx, (q, m) => q.labelNames(m)));
  router.add('GET', '/api/v1/label/:name/values', (ctx) => {
    const name = ctx.params.name!;
    // Prometheus 3 accepts any UTF-8 name; the legacy U__ escaping is not needed for Tally's names.
    if (name === '') throw new HttpError(400, 'bad_data', `invalid label name: "${name}"`);
    return labelLookup(ctx, (q, m) => q.labelValues(name, m));
  });

  router.add('GET', '/api/v1/metadata', (ctx) => {
    const p = reader(ctx);
    const metric = ctx.url.searchParams.get('metric');
    const limit = parseLimitParam(ctx.url.searchParams.get('limit'));
    const perMetric = parseLimitParam(ctx.url.searchParams.get('limit_per_metric'));
    const out = new Map<string, { type: string; help: string; unit: string }[]>();
    for (const [jobId, byMetric] of jobs.metadata.all()) {
      if (p.kind === 'push' && p.jobId !== jobId) continue;
      for (const [name, meta] of byMetric) {
        if (metric !== null && metric !== '' && name !== metric) continue;
        const list = out.get(name) ?? [];
        if (!list.some((x) => x.type === meta.type && x.help === meta.help && x.unit === meta.unit))
          list.push({ type: meta.type, help: meta.help, unit: meta.unit });
        out.set(name, list);
      }
    }
    const data: Record<string, { type: string; help: string; unit: string }[]> = {};
    for (const name of [...out.keys()].sort(sortStrings)) {
      if (limit > 0 && Object.keys(data).length >= limit) break;
      const list = out.get(name)!;
      data[name] = perMetric > 0 ? list.slice(0, perMetric) : list;
    }
    success(ctx, data);
  });

  router.add('GET', '/api/v1/status/buildinfo', (ctx) => {
    reader(ctx);
    success(ctx, buildInfo());
  });

  router.add(['GET', 'POST'], '/api/v1/format_query', async (ctx) => {
    reader(ctx);
    const f = await form(ctx);
    try {
      success(ctx, formatQuery(f.get('query') ?? ''));
    } catch (err) {
      throw queryError(err);
    }
  });
}

import { labelsFromRecord, type Labels } from '@tally/model';
import { StorageError, type Matcher } from '@tally/storage';
import type { RemoteHttpClient } from './remote-http-client.js';

/** The engine answered a query with an error, or not at all. */
export class RemoteQueryError extends StorageError {
  override readonly name = 'RemoteQueryError';
  constructor(
    message: string,
    /** The engine's HTTP status (0 when it could not be reached). */
    readonly status: number,
  ) {
    super(message);
  }
}

/** `{a="x",b=~"y"}`: a PromQL selector with Go-compatible string escapes. */
export function formatSelector(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => `${quoteName(m.name)}${m.type}${JSON.stringify(m.value)}`).join(',')}}`;
}

function quoteName(name: string): string {
  // Prometheus 3 takes quoted label names for UTF-8 names; plain names stay plain for 2.x engines.
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
}

/** Prometheus' JSON sample values: decimal strings, `NaN`, `+Inf`, `-Inf`. */
export function parseSampleValue(text: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
    default:
      return Number(text);
  }
}

/** `[seconds, "value"]` pairs of one series, as the query API returns them. */
export interface RawSeries {
  readonly labels: Labels;
  readonly timestampsMs: number[];
  readonly values: number[];
}

/** Parses a `matrix` result (`/api/v1/query` of a range selector). */
export function parseMatrix(data: unknown): RawSeries[] {
  const d = data as { resultType?: string; result?: unknown };
  if (d.resultType !== 'matrix' || !Array.isArray(d.result))
    throw new RemoteQueryError(`the engine answered a ${String(d.resultType)}, expected a matrix`, 200);
  return (d.result as { metric: Record<string, string>; values?: [number, string][] }[]).map((r) => {
    const values = r.values ?? [];
    return {
      labels: labelsFromRecord(r.metric),
      timestampsMs: values.map(([t]) => Math.round(t * 1000)),
      values: values.map(([, v]) => parseSampleValue(v)),
    };
  });
}

/** Calls one Prometheus HTTP API endpoint with GET and returns its `data`. */
export async function getApi(
  client: RemoteHttpClient,
  base: string,
  path: string,
  params: URLSearchParams,
): Promise<unknown> {
  const url = new URL(base.replace(/\/+$/, '') + path);
  url.search = params.toString();
  let res;
  try {
    res = await client.request('GET', url);
  } catch (err) {
    throw new RemoteQueryError(`remote engine unreachable at ${url.origin}: ${(err as Error).message}`, 0);
  }
  let body: { status?: string; data?: unknown; error?: string } | undefined;
  try {
    body = JSON.parse(res.body.toString('utf8')) as typeof body;
  } catch {
    body = undefined;
  }
  if (res.status !== 200 || body?.status !== 'success') {
    const why = body?.error ?? res.body.toString('utf8', 0, 300).trim();
    throw new RemoteQueryError(`remote engine ${path} answered HTTP ${res.status}: ${why}`, res.status);
  }
  return body.data;
}

/** Seconds with millisecond precision, as the API's `time`/`start`/`end` take them. */
export function apiTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}

import type { DeletionAttempt } from './deletion-coordinator.js';
import { apiTime } from './prometheus-api.js';
import { deleteUrlFor, engineProfile, flushUrlFor, type RemoteEngine } from './remote-engine.js';
import type { RemoteHttpClient } from './remote-http-client.js';
import type { QueuedDeletion } from './queued-deletion.js';

/**
 * One attempt at a queued deletion on an engine's delete-series API, classified like a
 * remote write: 2xx done; network errors, 429 and 5xx retried; any other 4xx refused for good.
 * Prometheus without `--web.enable-admin-api` answers 503 "admin APIs disabled", which no
 * retry will change, so it counts as refused. Undefined for engines without the API.
 */
export function engineDeleter(
  engine: RemoteEngine,
  queryUrl: string,
  client: RemoteHttpClient,
): ((deletion: QueuedDeletion) => Promise<DeletionAttempt>) | undefined {
  const deleteUrl = deleteUrlFor(engine, queryUrl);
  if (!deleteUrl) return undefined;
  const flushUrl = flushUrlFor(engine, queryUrl);
  return async (deletion) => {
    // VictoriaMetrics deletes what its index knows: rows still buffered must be in it first.
    if (flushUrl) await client.request('GET', flushUrl);
    const url = new URL(deleteUrl);
    url.searchParams.set('match[]', deletion.selector);
    if (deletion.startMs !== undefined) url.searchParams.set('start', apiTime(Math.max(deletion.startMs, 0)));
    if (deletion.endMs !== undefined) url.searchParams.set('end', apiTime(Math.min(deletion.endMs, 8.64e15)));
    const res = await client.request('POST', url);
    if (res.status >= 200 && res.status < 300) return { outcome: 'done' };
    const detail = `HTTP ${res.status}: ${res.body.toString('utf8', 0, Math.min(res.body.length, 300)).trim()}`;
    if (res.status === 503 && /admin APIs disabled/i.test(detail)) return { outcome: 'refused', detail };
    if (res.status === 429 || res.status >= 500) return { outcome: 'retry', detail };
    return { outcome: 'refused', detail };
  };
}

/** Whether the engine's delete-series API takes a time range. */
export function engineDeletesRanges(engine: RemoteEngine): boolean {
  return engineProfile(engine).rangedDelete;
}

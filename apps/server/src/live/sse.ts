import { labelsToRecord } from '@tally/model';
import { formatGoFloat } from '../http/go-float.js';
import type { RequestContext } from '../http/router.js';
import type { LiveHub, LiveSeries } from './live-hub.js';

export const PING_INTERVAL_MS = 15_000;

/** The `data` of a `samples` event: Prometheus' matrix shape, timestamps in float seconds. */
export function samplesEventData(series: readonly LiveSeries[]): string {
  return JSON.stringify({
    series: series.map((s) => ({
      labels: labelsToRecord(s.labels),
      samples: s.values.map((v, i) => [s.timestampsMs[i]! / 1000, formatGoFloat(v)]),
    })),
  });
}

/**
 * Server-sent events for one job: `event: samples` for every committed batch of the job's
 * samples (any ingest path), `event: ping` every 15 s so proxies keep the connection open.
 */
export function streamJob(
  ctx: RequestContext,
  live: LiveHub,
  jobId: string,
  pingMs = PING_INTERVAL_MS,
): void {
  const { res, req } = ctx;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': stream of job ' + jobId + '\n\n');
  const unsubscribe = live.subscribe(jobId, (series) => {
    res.write(`event: samples\ndata: ${samplesEventData(series)}\n\n`);
  });
  const ping = setInterval(() => res.write(`event: ping\ndata: {"t":${Date.now() / 1000}}\n\n`), pingMs);
  const close = (): void => {
    clearInterval(ping);
    unsubscribe();
    untrack();
  };
  const untrack = live.trackStream(() => {
    close();
    res.end();
  });
  req.on('close', close);
  res.on('close', close);
}

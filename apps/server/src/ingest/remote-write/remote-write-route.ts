import type { MetricType } from '@tally/model';
import { requirePush } from '../../auth/auth.js';
import { readBody } from '../../http/body.js';
import { HttpError } from '../../http/http-error.js';
import { sendEmpty } from '../../http/respond.js';
import { SnappyTooLargeError, withUncompressedBlock } from '../../http/snappy-block.js';
import type { MetricMetadata } from '../../jobs/metric-metadata.js';
import type { ServerParts } from '../../server.js';
import type { IngestRequest } from '../ingester.js';
import {
  decodeWriteRequestRuns,
  type DecodedWriteRequest,
  type WriteSeries,
} from './decode-write-request.js';
import { RemoteMetadata } from './remote-metadata.js';
import { SeriesCache } from './series-cache.js';

/** Errors of this endpoint are plain text, like Prometheus' receiver (senders log the body). */
const plainError = (status: number, msg: string): HttpError =>
  new HttpError(status, status === 413 ? 'too_large' : 'bad_data', msg, {}, true);

/**
 * `POST /api/v1/write`: Prometheus remote write 1.0 (snappy block-compressed protobuf). Every
 * series is attributed to the job in its `job` label. The whole request is checked before
 * anything is written (attribution, limits, strict jobs); then samples go in at their own
 * timestamps, so backfill works, and only samples out of order for their series are refused.
 * 204 on success; 4xx for what a retry cannot fix (the sender drops it); 5xx only when storage
 * failed and a retry may succeed.
 */
export function addRemoteWriteRoutes(parts: ServerParts): void {
  const { router, config, ingester, metrics } = parts;
  const cache = new SeriesCache();
  const metadataOnly = new RemoteMetadata(parts.jobs);
  router.add('POST', '/api/v1/write', async function remoteWrite(ctx) {
    const principal = parts.principal(ctx);
    const type = ctx.req.headers['content-type'] ?? 'application/x-protobuf';
    if (!type.startsWith('application/x-protobuf')) {
      ctx.req.resume();
      throw plainError(
        415,
        `unsupported Content-Type ${JSON.stringify(type)}: remote write 1.0 sends application/x-protobuf`,
      );
    }
    const compressed = await readBody(ctx.req, config.limits.maxBodyBytes);
    let decoded: DecodedWriteRequest;
    try {
      // The decoder copies what it keeps (strings, sample arrays) out of the uncompressed bytes.
      decoded = withUncompressedBlock(compressed, config.limits.maxBodyBytes, (raw) =>
        decodeWriteRequestRuns(raw, cache),
      );
    } catch (err) {
      const msg = (err as Error).message;
      if (err instanceof SnappyTooLargeError) throw plainError(413, `${msg} (--max-body-bytes)`);
      throw plainError(
        400,
        `cannot decode the write request (snappy block + protobuf WriteRequest expected): ${msg}`,
      );
    }
    if (decoded.histogramCount > 0) {
      metrics.refusedRequests.inc({ source: 'remote_write', reason: 'native_histograms' });
      throw plainError(
        400,
        `${decoded.histogramCount} native histogram samples: Tally stores float samples only; send classic histograms`,
      );
    }
    const { byJob, unattributed } = groupByJob(decoded.series);
    if (unattributed > 0) {
      metrics.refusedRequests.inc({ source: 'remote_write', reason: 'unattributed' });
      throw plainError(
        400,
        `${unattributed} series without a job label: every series must name its job (label "job")`,
      );
    }
    if (decoded.sampleCount > config.limits.maxSamplesPerRequest) {
      throw plainError(
        413,
        `${decoded.sampleCount} samples in one request, more than the limit of ${config.limits.maxSamplesPerRequest} (--max-samples-per-request)`,
      );
    }
    const meta = metadataByFamily(decoded);
    const nowMs = Date.now();
    if (decoded.series.length === 0) {
      if (meta.size > 0) metadataOnly.record(principal, meta, nowMs);
      sendEmpty(ctx.res, 204);
      return;
    }
    const requests: IngestRequest[] = [];
    for (const [jobId, series] of byJob) {
      requirePush(principal, jobId, true);
      const req: IngestRequest = {
        jobId,
        series,
        metadata: metadataOnly.forSeries(series, meta),
        serverTimestamps: false,
        source: 'remote_write',
        plain: true,
      };
      ingester.check(req, nowMs);
      markLabelsChecked(series);
      requests.push(req);
    }
    const refused = new Map<string, number>();
    let first: string | undefined;
    for (const req of requests) {
      const result = await ingester.ingest(req, nowMs, true);
      for (const [reason, n] of result.refused) refused.set(reason, (refused.get(reason) ?? 0) + n);
      first ??= result.firstRefusal;
    }
    keepStats(decoded.series);
    if (refused.size > 0) {
      const counts = [...refused].map(([r, n]) => `${n} ${r.replaceAll('_', ' ')}`).join(', ');
      throw plainError(
        400,
        `some samples were refused (${counts}); the others were stored. First: ${first ?? ''}`,
      );
    }
    sendEmpty(ctx.res, 204);
  });
}

// The per-series loops live in the small functions below, not in the handler: loops made the
// handler (an async function that inlines the decoder) hot enough for V8 to optimize it, a
// 30-100 ms compile in a fresh server's second million remote-write samples for code that runs
// once a request.

/** The request's series by their `job` label; those without one are counted, not grouped. */
function groupByJob(series: readonly WriteSeries[]): {
  byJob: Map<string, WriteSeries[]>;
  unattributed: number;
} {
  const byJob = new Map<string, WriteSeries[]>();
  let unattributed = 0;
  for (const s of series) {
    if (s.job === undefined) {
      unattributed++;
      continue;
    }
    const list = byJob.get(s.job);
    if (list) list.push(s);
    else byJob.set(s.job, [s]);
  }
  return { byJob, unattributed };
}

/** The series cache skips checking these labels again (they passed the ingester's check). */
function markLabelsChecked(series: readonly WriteSeries[]): void {
  for (const s of series) s.entry.labelsChecked = true;
}

/** The ingest left each series' job-stats entry on it: the cache keeps it for the next request. */
function keepStats(series: readonly WriteSeries[]): void {
  for (const s of series) s.entry.stat = s.stat ?? null;
}

function metadataByFamily(decoded: DecodedWriteRequest): Map<string, MetricMetadata> {
  const m = new Map<string, MetricMetadata>();
  for (const md of decoded.metadata)
    if (md.family !== '') m.set(md.family, { type: md.type as MetricType, help: md.help, unit: md.unit });
  return m;
}

import { requirePush } from '../../auth/auth.js';
import { readBody } from '../../http/body.js';
import type { ServerParts } from '../../server.js';
import type { IngestRequest } from '../ingester.js';
import { handleOtlpExport, otlpEncodingOf, type OtlpSink } from './handle-otlp-export.js';
import { errorAnswer } from './otlp-response.js';
import type { TranslatedJob } from './translate-otlp.js';

/** `POST /v1/metrics`: OTLP/HTTP metrics into the ingest pipeline (README in this folder). */
export function addOtlpRoutes(parts: ServerParts): void {
  const { router, config, ingester } = parts;
  router.add('POST', '/v1/metrics', async (ctx) => {
    const encoding = otlpEncodingOf(ctx.req.headers['content-type']);
    if (!encoding) {
      ctx.req.resume();
      const a = errorAnswer(
        'json',
        415,
        `unsupported Content-Type ${JSON.stringify(ctx.req.headers['content-type'] ?? '')}: OTLP/HTTP sends application/x-protobuf or application/json`,
      );
      ctx.res.writeHead(a.status, { 'content-type': a.contentType }).end(a.body);
      return;
    }
    const principal = parts.principal(ctx);
    const body = await readBody(ctx.req, config.limits.maxBodyBytes);
    const request = (jobId: string, job: TranslatedJob): IngestRequest => ({
      jobId,
      series: job.series,
      metadata: job.metadata,
      serverTimestamps: false,
      source: 'otlp',
    });
    const sink: OtlpSink = {
      check: (jobId, job, nowMs) => {
        requirePush(principal, jobId);
        ingester.check(request(jobId, job), nowMs);
      },
      write: async (jobId, job, nowMs) => {
        const r = await ingester.ingest(request(jobId, job), nowMs, true);
        let refused = 0;
        for (const n of r.refused.values()) refused += n;
        return { refused, firstRefusal: r.firstRefusal };
      },
    };
    const a = await handleOtlpExport(body, encoding, sink);
    ctx.res
      .writeHead(a.status, { 'content-type': a.contentType, 'content-length': a.body.length })
      .end(a.body);
  });
}

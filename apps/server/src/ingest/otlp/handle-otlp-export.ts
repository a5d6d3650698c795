import { decodeOtlpJson } from './decode-otlp-json.js';
import { decodeOtlpProtobuf } from './decode-otlp-protobuf.js';
import { errorAnswer, exportAnswer, type OtlpAnswer, type OtlpEncoding } from './otlp-response.js';
import { OtlpDecodeError, type ResourceMetrics } from './otlp-model.js';
import { translateOtlp, type TranslatedJob } from './translate-otlp.js';

/** Where translated series go: the server's ingest pipeline (auth, limits, storage). */
export interface OtlpSink {
  /** Refuses the whole request by throwing an error with an HTTP `status` (auth, limits, strict jobs). */
  check(jobId: string, job: TranslatedJob, nowMs: number): void;
  /** Writes one job's series; resolves once durable, with the samples the store refused. */
  write(
    jobId: string,
    job: TranslatedJob,
    nowMs: number,
  ): Promise<{ refused: number; firstRefusal: string | undefined }>;
}

/** `Content-Type` of an OTLP/HTTP request to its encoding, or undefined when it is neither. */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/**
 * One `POST /v1/metrics`: decodes the (already un-gzipped) body, translates it, checks every
 * job's part before writing any (so a refused request harms nothing), writes, and answers as
 * OTLP/HTTP requires: 200 (with partial success for rejected points), 400 when nothing could
 * be taken, the sink's status (401/403/413/429/503) when it refused.
 */
export async function handleOtlpExport(
  body: Buffer,
  encoding: OtlpEncoding,
  sink: OtlpSink,
  nowMs = Date.now(),
): Promise<OtlpAnswer> {
  let resources: ResourceMetrics[];
  try {
    resources = encoding === 'json' ? decodeOtlpJson(body.toString('utf8')) : decodeOtlpProtobuf(body);
  } catch (err) {
    if (err instanceof OtlpDecodeError)
      return errorAnswer(encoding, 400, `cannot decode the OTLP metrics request: ${err.message}`);
    throw err;
  }
  const t = translateOtlp(resources, { nowMs });
  if (t.acceptedPoints === 0 && t.rejectedPoints > 0) {
    return errorAnswer(encoding, 400, `no data point could be taken: ${t.errors.join('; ')}`);
  }
  try {
    for (const [jobId, job] of t.byJob) sink.check(jobId, job, nowMs);
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400)
      return errorAnswer(encoding, status, (err as Error).message);
    throw err;
  }
  let refusedSamples = 0;
  let firstRefusal: string | undefined;
  for (const [jobId, job] of t.byJob) {
    try {
      const r = await sink.write(jobId, job, nowMs);
      refusedSamples += r.refused;
      firstRefusal ??= r.firstRefusal;
    } catch (err) {
      const status = (err as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400)
        return errorAnswer(encoding, status, (err as Error).message);
      throw err;
    }
  }
  const errors = [...t.errors];
  if (refusedSamples > 0)
    errors.push(`${refusedSamples} samples refused by the store (first: ${firstRefusal ?? ''})`);
  return exportAnswer(encoding, t.rejectedPoints, errors.join('; '));
}

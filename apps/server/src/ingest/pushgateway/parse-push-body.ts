import { ExpositionParseError, parseExposition, type MetricFamily } from '@tally/model';
import { HttpError } from '../../http/http-error.js';
import { decodeProtobufFamilies } from './decode-protobuf-families.js';

function isDelimitedProtobuf(contentType: string): boolean {
  const [media, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  return (
    media === 'application/vnd.google.protobuf' &&
    params.includes('proto=io.prometheus.client.metricfamily') &&
    params.includes('encoding=delimited')
  );
}

/** Parses a push body: delimited protobuf when the Content-Type says so, else text (or OpenMetrics). */
export function parsePushBody(
  body: Buffer,
  contentType: string | undefined,
  maxSamples: number,
): MetricFamily[] {
  try {
    if (contentType !== undefined && isDelimitedProtobuf(contentType)) return decodeProtobufFamilies(body);
    return parseExposition(body, contentType, { maxSamples });
  } catch (err) {
    if (err instanceof ExpositionParseError || err instanceof Error) {
      const tooMany = /more than|max(imum)? samples/i.test(err.message) && err.message.includes('sample');
      throw new HttpError(
        tooMany ? 413 : 400,
        'bad_data',
        `could not parse the pushed metrics: ${err.message}`,
        {},
        true,
      );
    }
    throw err;
  }
}

import {
  ExpositionParseError,
  expositionFormatOf,
  parseExposition,
  type MetricFamily,
  type SeriesTextCache,
} from '@tally/model';
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

/** Whether a body of this Content-Type is read by the text format 0.0.4 parser. */
export function isTextFormatBody(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  return !isDelimitedProtobuf(contentType) && expositionFormatOf(contentType) === 'prometheus';
}

/**
 * Parses a push body: delimited protobuf when the Content-Type says so, else text (or
 * OpenMetrics). `seriesCache` is used by the text format only (see SeriesTextCache).
 */
export function parsePushBody(
  body: Buffer,
  contentType: string | undefined,
  maxSamples: number,
  seriesCache?: SeriesTextCache,
): MetricFamily[] {
  try {
    if (contentType !== undefined && isDelimitedProtobuf(contentType)) return decodeProtobufFamilies(body);
    return parseExposition(body, contentType, seriesCache ? { maxSamples, seriesCache } : { maxSamples });
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

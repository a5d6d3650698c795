import type { MetricFamily } from '../../metric-family.js';
import { parseOpenMetrics } from './parse-openmetrics.js';
import { parsePrometheusText, type PrometheusTextParseOptions } from './parse-prometheus-text.js';

/** Which parser a `Content-Type` selects: OpenMetrics for `application/openmetrics-text`, else text 0.0.4. */
export function expositionFormatOf(contentType: string | undefined): 'prometheus' | 'openmetrics' {
  if (contentType === undefined) return 'prometheus';
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  return media === 'application/openmetrics-text' ? 'openmetrics' : 'prometheus';
}

/**
 * Parses an exposition body by its `Content-Type`, as the Pushgateway does: OpenMetrics for
 * `application/openmetrics-text`, the text format 0.0.4 for anything else (including none).
 */
export function parseExposition(
  input: string | Uint8Array,
  contentType?: string,
  options?: PrometheusTextParseOptions,
): MetricFamily[] {
  return expositionFormatOf(contentType) === 'openmetrics'
    ? parseOpenMetrics(input, options?.maxSamples === undefined ? {} : { maxSamples: options.maxSamples })
    : parsePrometheusText(input, options);
}

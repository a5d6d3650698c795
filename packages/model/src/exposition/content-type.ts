/** Content type of the Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Content type of OpenMetrics 1.0 text. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const OPENMETRICS_0_0_1_CONTENT_TYPE = 'application/openmetrics-text; version=0.0.1; charset=utf-8';

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export interface NegotiatedExposition {
  readonly format: ExpositionFormat;
  readonly contentType: string;
}

interface MediaRange {
  readonly type: string;
  readonly version: string | undefined;
  readonly q: number;
  readonly order: number;
}

/**
 * Picks the exposition format for an HTTP `Accept` header, as prometheus/common
 * `expfmt.Negotiate` does: media ranges are tried by descending `q` (ties in header order);
 * `application/openmetrics-text` with no version, `1.0.0` or `0.0.1` selects OpenMetrics;
 * `text/plain` (no version or `0.0.4`), `text/*` and `*` selects the text format. Anything else
 * (including protobuf, which Tally does not write) and a missing header fall back to the text
 * format, which every scraper reads. Prometheus 2.x sends
 * `application/openmetrics-text;version=1.0.0,…,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`.
 */
export function negotiateExposition(accept: string | undefined): NegotiatedExposition {
  const text = { format: 'prometheus', contentType: PROMETHEUS_TEXT_CONTENT_TYPE } as const;
  if (accept === undefined || accept === '') return text;
  const ranges = parseAccept(accept).sort((a, b) => b.q - a.q || a.order - b.order);
  for (const r of ranges) {
    if (r.type === 'application/openmetrics-text') {
      if (r.version === undefined || r.version === '1.0.0')
        return { format: 'openmetrics', contentType: OPENMETRICS_CONTENT_TYPE };
      if (r.version === '0.0.1')
        return { format: 'openmetrics', contentType: OPENMETRICS_0_0_1_CONTENT_TYPE };
    } else if (r.type === 'text/plain') {
      if (r.version === undefined || r.version === '0.0.4') return text;
    } else if (r.type === 'text/*' || r.type === '*/*' || r.type === '*') {
      return text;
    }
  }
  return text;
}

function parseAccept(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  let order = 0;
  for (const part of accept.split(',')) {
    const params = part.split(';');
    const type = params[0]!.trim().toLowerCase();
    if (type === '') continue;
    let q = 1;
    let version: string | undefined;
    for (let i = 1; i < params.length; i++) {
      const p = params[i]!;
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (key === 'q') {
        const n = Number(value);
        q = Number.isFinite(n) && value !== '' ? n : 0;
      } else if (key === 'version') version = value;
    }
    if (q > 0) out.push({ type, version, q, order: order++ });
  }
  return out;
}

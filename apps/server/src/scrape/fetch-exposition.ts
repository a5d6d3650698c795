/** Prometheus 2.x's scrape `Accept` header: OpenMetrics preferred, the text format accepted. */
export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export interface FetchedExposition {
  readonly body: Buffer;
  readonly contentType: string | undefined;
}

/** A failed scrape, with the reason Prometheus would report in its target's `lastError`. */
export class ScrapeError extends Error {
  override readonly name = 'ScrapeError';
}

/**
 * GETs one exposition with the scrape timeout (also sent as `X-Prometheus-Scrape-Timeout-Seconds`,
 * as Prometheus does) and stops reading once the uncompressed body passes `bodySizeLimitBytes`.
 */
export async function fetchExposition(
  url: string,
  timeoutMs: number,
  bodySizeLimitBytes: number,
): Promise<FetchedExposition> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetch(url, {
        headers: {
          accept: SCRAPE_ACCEPT,
          'accept-encoding': 'gzip',
          'user-agent': 'tally-scrape/0.1',
          'x-prometheus-scrape-timeout-seconds': String(timeoutMs / 1000),
        },
        signal: controller.signal,
        redirect: 'follow',
      });
    } catch (err) {
      throw new ScrapeError(
        controller.signal.aborted ? `context deadline exceeded (timeout ${timeoutMs}ms)` : describe(err),
      );
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new ScrapeError(`server returned HTTP status ${res.status} ${res.statusText}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body ?? []) {
        size += (chunk as Uint8Array).length;
        if (bodySizeLimitBytes > 0 && size > bodySizeLimitBytes) {
          controller.abort();
          throw new ScrapeError(`body size limit exceeded (limit: ${bodySizeLimitBytes} bytes)`);
        }
        chunks.push(chunk as Uint8Array);
      }
    } catch (err) {
      if (err instanceof ScrapeError) throw err;
      throw new ScrapeError(
        controller.signal.aborted ? `context deadline exceeded (timeout ${timeoutMs}ms)` : describe(err),
      );
    }
    return { body: Buffer.concat(chunks), contentType: res.headers.get('content-type') ?? undefined };
  } finally {
    clearTimeout(timer);
  }
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { message?: string } };
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : e.message;
}

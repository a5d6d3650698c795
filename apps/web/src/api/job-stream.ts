import type { StreamSamplesEvent } from './api-types.js';
import { authHeaders, signalAuthRequired } from './auth.js';
import { SseParser } from '../lib/sse-parser.js';

export interface JobStreamHandlers {
  onSamples(event: StreamSamplesEvent): void;
  onStatus?(status: 'connecting' | 'open' | 'closed'): void;
}

/**
 * Follows `GET /api/v1/jobs/{id}/stream` (server-sent events) until `close()`, reconnecting
 * with backoff after a failure. Returns the closer.
 */
export function openJobStream(jobId: string, handlers: JobStreamHandlers): () => void {
  const abort = new AbortController();
  let retryMs = 500;
  const run = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      handlers.onStatus?.('connecting');
      try {
        const res = await fetch(`/api/v1/jobs/${encodeURIComponent(jobId)}/stream`, {
          headers: { Accept: 'text/event-stream', ...authHeaders() },
          signal: abort.signal,
        });
        if (res.status === 401) {
          signalAuthRequired();
          return;
        }
        if (res.status === 404 || !res.body) return;
        handlers.onStatus?.('open');
        retryMs = 500;
        const parser = new SseParser();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const ev of parser.push(value)) {
            if (ev.event !== 'samples') continue;
            try {
              handlers.onSamples(JSON.parse(ev.data) as StreamSamplesEvent);
            } catch (e) {
              console.warn('tally: bad samples event', e);
            }
          }
        }
      } catch {
        if (abort.signal.aborted) return;
      }
      handlers.onStatus?.('closed');
      await new Promise((r) => setTimeout(r, retryMs));
      retryMs = Math.min(retryMs * 2, 10_000);
    }
  };
  void run();
  return () => abort.abort();
}

import type { ServerParts } from '../server.js';
import { sendJson, sendText } from './respond.js';

/** The ports clients send to, as bound; absent when that listener is off. */
export interface IngestEndpoints {
  statsdUdpPort?: number;
  statsdTcpPort?: number;
}

/** Health, readiness, and where to send (the UI's instrumentation snippets read it). */
export function addPlatformRoutes(parts: ServerParts): void {
  const { router } = parts;
  router.add('GET', '/-/healthy', (ctx) => sendText(ctx.res, 200, 'OK\n'));
  router.add('GET', '/-/ready', (ctx) => sendText(ctx.res, 200, 'OK\n'));
  // Open like the health checks: it names ports a client must know anyway, nothing stored.
  router.add('GET', '/api/v1/status/ingest', (ctx) => {
    const e = parts.endpoints;
    sendJson(ctx.res, 200, {
      status: 'success',
      data: {
        pushgateway: '/metrics/job/{job}',
        remoteWrite: '/api/v1/write',
        otlp: '/v1/metrics',
        statsdUdpPort: e.statsdUdpPort ?? null,
        statsdTcpPort: e.statsdTcpPort ?? null,
      },
    });
  });
}

import { createServer, type Server } from 'node:http';
import type { Registry } from '../registry/registry.js';
import { metricsHandler } from './metrics-handler.js';

export interface MetricsServerOptions {
  /** Default 9464 (the OpenTelemetry Prometheus exporter's port). */
  readonly port?: number;
  /** Default 127.0.0.1: metrics stay on the machine unless you say otherwise. */
  readonly host?: string;
  /** Default `/metrics`; other paths answer 404. */
  readonly path?: string;
  readonly registry?: Registry;
}

/** Starts an HTTP server that serves the metrics; resolves once it listens. */
export async function startMetricsServer(options: MetricsServerOptions = {}): Promise<Server> {
  const handler = metricsHandler(options.registry);
  const path = options.path ?? '/metrics';
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?', 1)[0] === path) {
      handler(req, res);
      return;
    }
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`not found: metrics are at ${path}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9464, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

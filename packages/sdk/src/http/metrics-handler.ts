import { negotiateExposition } from '@tally/model';
import { register as defaultRegister } from '../registry/default-registry.js';
import type { Registry } from '../registry/registry.js';
import { headerValue, type NextFunction, type RequestLike, type ResponseLike } from './http-types.js';

/** The body and content type of a scrape, negotiated from its `Accept` header. */
export async function scrape(
  registry: Registry,
  accept: string | undefined,
): Promise<{ body: string; contentType: string }> {
  const { format, contentType } = negotiateExposition(accept);
  return { body: await registry.metrics(format), contentType };
}

/**
 * A `node:http` request listener serving a registry's metrics: Prometheus text 0.0.4, or
 * OpenMetrics when the scraper's `Accept` asks for it (Prometheus does). GET and HEAD only.
 * Also an Express/Connect handler, since their requests and responses are node's; a failed
 * collection answers 500 (or goes to `next` when there is one).
 *
 * @example
 * http.createServer(metricsHandler()).listen(9464, '127.0.0.1');
 * app.get('/metrics', metricsHandler(myRegistry));   // Express
 */
export function metricsHandler(
  registry: Registry = defaultRegister,
): (req: RequestLike, res: ResponseLike, next?: NextFunction) => void {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, HEAD');
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('method not allowed: /metrics answers GET and HEAD\n');
      return;
    }
    scrape(registry, headerValue(req.headers.accept)).then(
      ({ body, contentType }) => {
        res.statusCode = 200;
        res.setHeader('Content-Type', contentType);
        res.setHeader('Content-Length', Buffer.byteLength(body));
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        if (next) {
          next(error);
          return;
        }
        res.statusCode = 500;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(`collecting metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  };
}

/** An Express/Connect middleware answering `path` (default `/metrics`) and passing everything else on. */
export function expressMetrics(
  options: { registry?: Registry; path?: string } = {},
): (req: RequestLike, res: ResponseLike, next: NextFunction) => void {
  const handler = metricsHandler(options.registry);
  const path = options.path ?? '/metrics';
  return (req, res, next) => {
    const pathname = (req.url ?? '').split('?', 1)[0];
    if (pathname !== path) {
      next();
      return;
    }
    handler(req, res, next);
  };
}

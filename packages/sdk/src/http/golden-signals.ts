import { Counter } from '../metrics/counter.js';
import { Gauge } from '../metrics/gauge.js';
import { Histogram } from '../metrics/histogram.js';
import { register as defaultRegister } from '../registry/default-registry.js';
import type { Registry } from '../registry/registry.js';
import type {
  FastifyInstanceLike,
  FastifyRequestLike,
  NextFunction,
  RequestLike,
  ResponseLike,
} from './http-types.js';

export interface GoldenSignalsOptions<Req> {
  readonly registry?: Registry;
  /** Prefix of the three names (default `http_`). */
  readonly prefix?: string;
  /** Duration buckets in seconds (default Prometheus' defaults). */
  readonly buckets?: readonly number[];
  /**
   * The route label of a finished request. Default: Express' matched route (`baseUrl` +
   * `route.path`), Fastify's route URL, else the path without its query — give a function when
   * your paths carry ids, or the series limit will refuse the excess.
   */
  readonly route?: (req: Req) => string | undefined;
}

type Labels = { method: string; route: string; status: string };

/** Express sets `route` and `baseUrl` on its requests once a route matched. */
interface ExpressRouted {
  readonly baseUrl?: string;
  readonly route?: { readonly path?: unknown };
}

function defaultRoute(request: RequestLike): string {
  const req = request as RequestLike & ExpressRouted & Partial<FastifyRequestLike>;
  if (typeof req.route?.path === 'string') return `${req.baseUrl ?? ''}${req.route.path}`;
  if (typeof req.routeOptions?.url === 'string') return req.routeOptions.url;
  return (req.url ?? '').split('?', 1)[0] || '/';
}

/**
 * The golden signals of an HTTP server — traffic, errors, latency, saturation — as three
 * metrics: `http_requests_total{method,route,status}`, `http_request_duration_seconds{method,route,status}`
 * and `http_requests_in_flight`. Use `.middleware` with Express/Connect, `.wrap(listener)` with
 * node:http, `.fastify` as a Fastify plugin (`fastify.register(signals.fastify)`).
 */
export function httpGoldenSignals<Req extends RequestLike = RequestLike>(
  options: GoldenSignalsOptions<Req> = {},
) {
  const registers = [options.registry ?? defaultRegister];
  const prefix = options.prefix ?? 'http_';
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: `${prefix}requests_total`,
    help: 'HTTP requests handled, by method, route and status code.',
    labelNames,
    registers,
  });
  const duration = new Histogram({
    name: `${prefix}request_duration_seconds`,
    help: 'Time from request to the end of the response, in seconds.',
    labelNames,
    registers,
    ...(options.buckets ? { buckets: options.buckets } : {}),
  });
  const inFlight = new Gauge({
    name: `${prefix}requests_in_flight`,
    help: 'HTTP requests being handled now.',
    registers,
  });
  const routeOf = (req: Req): string => options.route?.(req) ?? defaultRoute(req);

  const record = (method: string | undefined, route: string, status: number, startMs: number): void => {
    const labels: Labels = { method: (method ?? 'GET').toUpperCase(), route, status: String(status) };
    requests.inc(labels);
    duration.observe(labels, (performance.now() - startMs) / 1000);
  };

  /** Counts the request in flight now and records it once when the response finishes or closes. */
  const track = (req: Req, res: ResponseLike): void => {
    const start = performance.now();
    inFlight.inc();
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      inFlight.dec();
      record(req.method, routeOf(req), res.statusCode, start);
    };
    res.once('finish', finish);
    res.once('close', finish);
  };

  const started = new WeakMap<object, number>();
  const fastify = Object.assign(
    (instance: FastifyInstanceLike, _opts: unknown, done: () => void): void => {
      instance.addHook('onRequest', (request, _reply, next) => {
        started.set(request, performance.now());
        inFlight.inc();
        next();
      });
      instance.addHook('onResponse', (request, reply, next) => {
        const start = started.get(request);
        if (start !== undefined) {
          started.delete(request);
          inFlight.dec();
          record(
            request.method,
            options.route?.(request as unknown as Req) ?? defaultRoute(request),
            reply.statusCode,
            start,
          );
        }
        next();
      });
      done();
    },
    // fastify-plugin's marker: the hooks apply to the whole instance, not an encapsulated child.
    { [Symbol.for('skip-override')]: true },
  );

  return {
    requests,
    duration,
    inFlight,
    /** Express/Connect middleware. */
    middleware: (req: Req, res: ResponseLike, next: NextFunction): void => {
      track(req, res);
      next();
    },
    /** Wraps a node:http request listener. */
    wrap:
      <R extends Req, S extends ResponseLike>(listener: (req: R, res: S) => void) =>
      (req: R, res: S): void => {
        track(req, res);
        listener(req, res);
      },
    /** A Fastify plugin. */
    fastify,
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Counter,
  expressMetrics,
  fastifyMetricsHandler,
  Gauge,
  httpGoldenSignals,
  metricsHandler,
  Registry,
  startMetricsServer,
  type FastifyInstanceLike,
  type FastifyReplyLike,
  type FastifyRequestLike,
} from '../src/index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function registryWithCounter(): Registry {
  const r = new Registry();
  new Counter({ name: 'served', help: 'h', registers: [r] }).inc(3);
  return r;
}

describe('/metrics over a real socket on 127.0.0.1', () => {
  it('serves Prometheus text by default and OpenMetrics when Accept asks for it', async () => {
    const url = await listen(createServer(metricsHandler(registryWithCounter())));
    const text = await fetch(`${url}/metrics`);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await text.text()).toBe('# HELP served_total h\n# TYPE served_total counter\nserved_total 3\n');
    // What Prometheus 2.x sends.
    const accept =
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    const om = await fetch(`${url}/metrics`, { headers: { accept } });
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(await om.text()).toBe('# HELP served h\n# TYPE served counter\nserved_total 3.0\n# EOF\n');
  });

  it('answers HEAD without a body and refuses other methods with 405', async () => {
    const url = await listen(createServer(metricsHandler(registryWithCounter())));
    const head = await fetch(`${url}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
    const post = await fetch(`${url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 500 naming the failure when a collect hook throws', async () => {
    const r = new Registry();
    new Gauge({
      name: 'broken',
      help: 'h',
      registers: [r],
      collect() {
        throw new Error('sensor unplugged');
      },
    });
    const url = await listen(createServer(metricsHandler(r)));
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('sensor unplugged');
  });

  it('hands a failed collection to next() when used as Express middleware', async () => {
    const r = new Registry();
    new Gauge({
      name: 'broken',
      help: 'h',
      registers: [r],
      collect() {
        throw new Error('no sensor');
      },
    });
    const handler = metricsHandler(r);
    const url = await listen(
      createServer((req, res) => {
        handler(req, res, (error) => {
          res.statusCode = 503;
          res.end(`next got: ${(error as Error).message}`);
        });
      }),
    );
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('next got: no sensor');
  });

  it('startMetricsServer serves its path on 127.0.0.1 and 404s the rest', async () => {
    const server = await startMetricsServer({ port: 0, registry: registryWithCounter() });
    servers.push(server);
    const address = server.address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    const base = `http://127.0.0.1:${address.port}`;
    expect(await (await fetch(`${base}/metrics?x=1`)).text()).toContain('served_total 3');
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });

  it('expressMetrics is a Connect-style middleware: answers its path, passes the rest to next', async () => {
    const mw = expressMetrics({ registry: registryWithCounter() });
    const url = await listen(
      createServer((req, res) => {
        mw(req, res, () => {
          res.statusCode = 418;
          res.end('next');
        });
      }),
    );
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('served_total 3');
    const other = await fetch(`${url}/elsewhere`);
    expect(other.status).toBe(418);
  });

  it('the golden-signals middleware counts requests by method, route and status, times them and tracks in-flight', async () => {
    const r = new Registry();
    const signals = httpGoldenSignals({ registry: r, buckets: [0.5, 5] });
    let inFlightDuring = -1;
    const app = signals.wrap((req, res) => {
      inFlightDuring = signals.inFlight.labels().get();
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('ok');
    });
    const url = await listen(createServer(app));
    await fetch(`${url}/users?id=1`);
    await fetch(`${url}/users`, { method: 'POST' });
    await fetch(`${url}/missing`);
    await new Promise((resolve) => setTimeout(resolve, 20)); // 'finish' fires after the client has the response
    expect(inFlightDuring).toBe(1);
    const text = await r.metrics();
    expect(text).toContain('http_requests_total{method="GET",route="/users",status="200"} 1\n');
    expect(text).toContain('http_requests_total{method="POST",route="/users",status="200"} 1\n');
    expect(text).toContain('http_requests_total{method="GET",route="/missing",status="404"} 1\n');
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/users",status="200"} 1\n',
    );
    expect(text).toContain(
      'http_request_duration_seconds_bucket{method="GET",route="/users",status="200",le="5.0"} 1\n',
    );
    expect(text).toContain('http_requests_in_flight 0\n');
  });

  it('uses the Express matched route (baseUrl + route.path) or a route function', async () => {
    const r = new Registry();
    const signals = httpGoldenSignals({ registry: r });
    const url = await listen(
      createServer((req, res) => {
        signals.middleware(req, res, () => {
          Object.assign(req, { baseUrl: '/api', route: { path: '/users/:id' } });
          res.end('ok');
        });
      }),
    );
    await fetch(`${url}/api/users/42`);
    const custom = new Registry();
    const bySegment = httpGoldenSignals({
      registry: custom,
      prefix: 'web_',
      route: (req) => (req.url ?? '').split('/')[1],
    });
    const url2 = await listen(createServer(bySegment.wrap((_req, res) => res.end())));
    await fetch(`${url2}/a/b/c`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await r.metrics()).toContain(
      'http_requests_total{method="GET",route="/api/users/:id",status="200"} 1\n',
    );
    expect(await custom.metrics()).toContain('web_requests_total{method="GET",route="a",status="200"} 1\n');
  });
});

describe('Fastify adapters (structural: no Fastify dependency)', () => {
  it('fastifyMetricsHandler negotiates and sets the content type on the reply', async () => {
    const headers: Record<string, string> = {};
    const reply: FastifyReplyLike = {
      statusCode: 200,
      header: (n, v) => (headers[n] = v),
      code: () => reply,
    };
    const request: FastifyRequestLike = {
      method: 'GET',
      url: '/metrics',
      headers: { accept: 'application/openmetrics-text' },
    };
    const body = await fastifyMetricsHandler(registryWithCounter())(request, reply);
    expect(headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(body).toContain('served_total 3.0\n# EOF\n');
  });

  it('the golden-signals plugin hooks onRequest/onResponse and uses the route URL', async () => {
    const r = new Registry();
    const signals = httpGoldenSignals({ registry: r });
    const hooks: Record<
      string,
      (req: FastifyRequestLike, reply: FastifyReplyLike, done: () => void) => void
    > = {};
    const instance: FastifyInstanceLike = { addHook: (name, hook) => (hooks[name] = hook) };
    let registered = false;
    signals.fastify(instance, {}, () => (registered = true));
    expect(registered).toBe(true);
    expect((signals.fastify as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')]).toBe(true);
    const request: FastifyRequestLike = {
      method: 'delete',
      url: '/items/7',
      headers: {},
      routeOptions: { url: '/items/:id' },
    };
    const reply: FastifyReplyLike = { statusCode: 204, header: () => reply, code: () => reply };
    hooks.onRequest!(request, reply, () => undefined);
    expect(signals.inFlight.labels().get()).toBe(1);
    hooks.onResponse!(request, reply, () => undefined);
    expect(signals.inFlight.labels().get()).toBe(0);
    expect(await r.metrics()).toContain(
      'http_requests_total{method="DELETE",route="/items/:id",status="204"} 1\n',
    );
  });
});

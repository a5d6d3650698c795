import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Storage } from '@tally/storage';
import { Auth } from './auth/auth.js';
import type { Principal } from './auth/principal.js';
import { isLoopbackHost, ConfigError, type ServeConfig } from './config/serve-config.js';
import { errorResponse } from './http/http-error.js';
import { sendText } from './http/respond.js';
import { Router, type RequestContext } from './http/router.js';
import { serveStatic } from './http/static-ui.js';
import type { IngestEndpoints } from './http/platform-routes.js';
import { Ingester } from './ingest/ingester.js';
import { addJobRoutes } from './jobs/job-routes.js';
import { JobService } from './jobs/job-service.js';
import { LiveHub } from './live/live-hub.js';
import type { Logger } from './log/logger.js';
import { SelfMetrics } from './self-metrics/self-metrics.js';
import { openStorage } from './storage/open-storage.js';
import { addPlatformRoutes } from './http/platform-routes.js';
import { addRemoteWriteRoutes } from './ingest/remote-write/remote-write-route.js';
import { addOtlpRoutes } from './ingest/otlp/otlp-route.js';
import { startScraping } from './scrape/start-scraping.js';
import { addRemoteQueueMetrics } from './storage/remote/open-remote.js';
import { addPushRoutes } from './ingest/pushgateway/push-routes.js';
import { addQueryRoutes } from './query/query-routes.js';
import { openRegistry } from './registry/open-registry.js';
import type { Registry } from './registry/registry.js';
import { RegistryFollower } from './registry/registry-follower.js';
import { TokenCatchUp } from './registry/token-catch-up.js';

export interface RunningServer {
  /** `http://host:port` of the HTTP listener. */
  readonly url: string;
  readonly port: number;
  /** The UDP port StatsD listens on, if enabled. */
  readonly statsdPort: number | undefined;
  readonly storage: Storage;
  readonly jobs: JobService;
  /** Graceful shutdown: stop listening, flush StatsD, persist, close storage. */
  close(): Promise<void>;
}

export interface ServerParts {
  readonly config: ServeConfig;
  readonly log: Logger;
  readonly storage: Storage;
  readonly registry: Registry;
  readonly auth: Auth;
  readonly jobs: JobService;
  readonly ingester: Ingester;
  readonly live: LiveHub;
  readonly metrics: SelfMetrics;
  readonly router: Router;
  readonly principal: (ctx: RequestContext) => Principal;
  /** Things to stop on shutdown, in order, before storage closes. */
  readonly stoppers: (() => Promise<void> | void)[];
  /** Where clients send, as bound (filled in as listeners start; `GET /api/v1/status/ingest`). */
  readonly endpoints: IngestEndpoints;
}

/** Starts `tally serve` with a resolved config. Resolves when both listeners are bound. */
export async function startServer(config: ServeConfig, log: Logger): Promise<RunningServer> {
  const auth = new Auth(config.adminTokens, config.readTokens);
  if (!isLoopbackHost(config.listen.host) && config.adminTokens.length === 0) {
    throw new ConfigError(
      `--listen ${config.listen.host}:${config.listen.port} is not a loopback address: set --admin-token (TALLY_ADMIN_TOKEN) so the server is not open to the network`,
    );
  }
  if (config.statsdListen && !isLoopbackHost(config.statsdListen.host)) {
    log.warn('StatsD listens beyond loopback; UDP has no authentication', {
      statsdListen: config.statsdListen,
    });
  }
  const storage = await openStorage(config, log);
  const registry = await openRegistry(config.registry, config.dataDir, log);
  const metrics = new SelfMetrics();
  const live = new LiveHub();
  const jobs = new JobService(registry, storage, auth, log, config.autoCreateJobs);
  await jobs.start();
  const ingester = new Ingester(storage, jobs, config.limits, live, metrics);
  const router = new Router();
  const principals = new WeakMap<IncomingMessage, Principal>();
  const principal = (ctx: RequestContext): Principal => {
    let p = principals.get(ctx.req);
    if (!p) principals.set(ctx.req, (p = auth.authenticate(ctx.req)));
    return p;
  };
  const parts: ServerParts = {
    config,
    log,
    storage,
    registry,
    auth,
    jobs,
    ingester,
    live,
    metrics,
    router,
    principal,
    stoppers: [],
    endpoints: {},
  };
  addPlatformRoutes(parts);
  addJobRoutes(router, { jobs, live, principal, maxBodyBytes: config.limits.maxBodyBytes });
  addRemoteWriteRoutes(parts);
  const pushStore = addPushRoutes(parts);
  for (const g of await registry.loadGroups()) pushStore.applyStored(g);
  let catchUp: TokenCatchUp | undefined;
  if (registry.kind === 'postgres') {
    // Other instances share the registry: follow their changes (registry/registry-follower.ts).
    const follower = new RegistryFollower(registry, jobs, pushStore, log);
    follower.start(config.registry.refreshIntervalMs);
    parts.stoppers.push(() => follower.stop());
    catchUp = new TokenCatchUp(registry, auth, () => follower.refreshAll());
  }
  addQueryRoutes(parts);
  addOtlpRoutes(parts);
  addRemoteQueueMetrics(metrics, storage);
  metrics.gauge(
    'tally_push_groups',
    'Pushgateway groups held (last-push state).',
    () => pushStore.groups.size,
  );
  metrics.gauge('tally_jobs', 'Jobs in the registry.', () => jobs.list().length);
  metrics.gauge(
    'tally_job_deletions_pending',
    'Job deletions accepted whose series storage could not delete yet (retried with backoff).',
    () => jobs.deletionRetry.size,
  );
  metrics.gauge('tally_storage_series', 'Series in storage.', () => storage.stats().numSeries);
  metrics.gauge('tally_live_subscribers', 'Open live streams.', () => live.subscriberCount());

  const uiDir = config.uiDir ?? defaultUiDir();
  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://tally');
    const method = req.method ?? 'GET';
    try {
      // A token issued by another instance moments ago: learn it before answering 401.
      if (catchUp) await catchUp.check(req);
      const m = router.match(method, url.pathname);
      if (m) {
        await m.handler({ req, res, url, params: m.params });
      } else if ((method === 'GET' || method === 'HEAD') && !url.pathname.startsWith('/api/')) {
        serveStatic(uiDir, url.pathname, res, method === 'HEAD');
      } else {
        req.resume();
        sendText(res, 404, `404 page not found: ${method} ${url.pathname}\n`);
      }
    } catch (err) {
      const answer = errorResponse(err);
      if (answer.status >= 500) log.error('request failed', { method, path: url.pathname, err });
      if (!res.headersSent) {
        req.resume();
        res.writeHead(answer.status, {
          'content-type': answer.contentType,
          'content-length': Buffer.byteLength(answer.body),
        });
        res.end(answer.body);
      } else res.destroy();
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (!auth.enforced) {
    log.warn(
      'no admin or read token configured: every API is open to anyone who can reach this loopback address',
      {
        listen: `${config.listen.host}:${port}`,
      },
    );
  }
  let statsdPort: number | undefined;
  const startStatsd = (await import('./ingest/statsd/statsd-server.js')).startStatsdIngest;
  if (config.statsdListen || config.statsdTcpListen) statsdPort = await startStatsd(parts);
  // Declared targets of jobs, plus --scrape-config's; followed as jobs come and go.
  startScraping(parts, config.beyond.scrapeConfigPath);
  log.info('tally serve ready', {
    listen: `http://${config.listen.host}:${port}`,
    statsd: statsdPort !== undefined ? `${config.statsdListen?.host}:${statsdPort}` : 'off',
    dataDir: config.dataDir,
    storage: config.storage,
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host}:${port}`,
    port,
    statsdPort,
    storage,
    jobs,
    close: () => (closing ??= shutdown(server, parts)),
  };
}

async function shutdown(server: Server, parts: ServerParts): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  parts.live.closeAll();
  server.closeIdleConnections();
  // Live streams never end by themselves: close them so server.close() can finish.
  setTimeout(() => server.closeAllConnections(), 2000).unref();
  for (const stop of parts.stoppers) await stop();
  server.closeIdleConnections();
  await closed;
  await parts.jobs.stop();
  await parts.storage.close();
  await parts.registry.close();
  parts.log.info('tally serve stopped');
}

/** apps/web/dist, found relative to this file (src/ or dist/ of apps/server). */
function defaultUiDir(): string {
  return join(import.meta.dirname, '..', '..', 'web', 'dist');
}

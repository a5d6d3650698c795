// A loopback front for the UI benchmark: answers `query_range` with synthetic data (so the
// benchmark measures the browser, not PromQL) and forwards everything else — the UI, the jobs
// API, the live stream — to the real `tally serve` behind it.

import { createServer, request, type Server } from 'node:http';
import { syntheticMatrix } from './synthetic-prom.js';

export async function startSyntheticProxy(
  tallyUrl: string,
): Promise<{ url: string; queries: () => number; close: () => Promise<void> }> {
  const target = new URL(tallyUrl);
  let queries = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/v1/query_range') {
      queries++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(syntheticMatrix(url, queries % 97));
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    queries: () => queries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

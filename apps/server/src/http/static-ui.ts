import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { sendText } from './respond.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `Tally is running, but the web UI is not built.

Build it with:  npm run build   (or: npm run build -w @tally/web)
and restart tally serve. The APIs work without it: /api/v1/jobs, /api/v1/query, /metrics.
`;

/**
 * The single-page UI from its built directory: a file if it exists, else index.html (the SPA
 * routes its own paths); without the directory, a short page saying the UI is not built.
 */
export function serveStatic(
  uiDir: string | undefined,
  pathname: string,
  res: ServerResponse,
  head: boolean,
): void {
  if (uiDir === undefined || !existsSync(join(uiDir, 'index.html'))) {
    sendText(res, pathname === '/' ? 200 : 404, NOT_BUILT);
    return;
  }
  const root = resolve(uiDir);
  const candidate = resolve(root, '.' + normalize(pathname));
  let file = join(root, 'index.html');
  if (
    (candidate === root || candidate.startsWith(root + sep)) &&
    existsSync(candidate) &&
    statSync(candidate).isFile()
  ) {
    file = candidate;
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': type,
    'content-length': statSync(file).size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (head) res.end();
  else createReadStream(file).pipe(res);
}

// An in-process stand-in for an engine with remote write and a delete-series API
// (VictoriaMetrics' shape): keeps series in memory, applies each write and each deletion in
// arrival order, and logs both, so tests can check what a deletion saw. It can be taken down
// (503 to everything) and brought back, and scripted to refuse deletions.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import snappy from 'snappyjs';
import { labelsKey, labelsToRecord } from '@tally/model';
import { decodeWriteRequest } from '../../src/ingest/remote-write/decode-write-request.js';

export type EngineEvent =
  | { readonly kind: 'write'; readonly series: string; readonly t: number }
  | { readonly kind: 'delete'; readonly match: string; readonly start: string | null };

export interface FakeEngine {
  readonly url: string;
  readonly writeUrl: string;
  /** Samples per series key (`job=…` labels), as the engine holds them now. */
  readonly series: Map<string, { labels: Record<string, string>; t: number[] }>;
  readonly events: EngineEvent[];
  /** While true every request gets 503. */
  down: boolean;
  /** Answer for delete requests (204 by default), with an optional body. */
  deleteAnswer: { status: number; body: string };
  close(): Promise<void>;
}

/** Parses the `{name="value",…}` selectors Tally sends (equality matchers only). */
function selectorMatches(selector: string, labels: Record<string, string>): boolean {
  const inner = /^\{(.*)\}$/.exec(selector)?.[1] ?? '';
  for (const m of inner.matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
    if (labels[m[1]!] !== JSON.parse(`"${m[2]!}"`)) return false;
  return true;
}

export async function startFakeEngine(): Promise<FakeEngine> {
  const engine: Omit<FakeEngine, 'url' | 'writeUrl' | 'close'> = {
    series: new Map(),
    events: [],
    down: false,
    deleteAnswer: { status: 204, body: '' },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://engine');
      if (engine.down) {
        res.writeHead(503).end('down');
        return;
      }
      if (url.pathname === '/api/v1/write') {
        const decoded = decodeWriteRequest(Buffer.from(snappy.uncompress(Buffer.concat(chunks))));
        for (const s of decoded.series) {
          const key = labelsKey(s.labels);
          let held = engine.series.get(key);
          if (!held) engine.series.set(key, (held = { labels: labelsToRecord(s.labels), t: [] }));
          for (const t of s.timestampsMs) {
            held.t.push(t);
            engine.events.push({ kind: 'write', series: key, t });
          }
        }
        res.writeHead(204).end();
      } else if (url.pathname === '/api/v1/admin/tsdb/delete_series' && req.method === 'POST') {
        const match = url.searchParams.get('match[]') ?? '';
        if (engine.deleteAnswer.status < 300) {
          engine.events.push({ kind: 'delete', match, start: url.searchParams.get('start') });
          for (const [key, s] of engine.series)
            if (selectorMatches(match, s.labels)) engine.series.delete(key);
        }
        res.writeHead(engine.deleteAnswer.status).end(engine.deleteAnswer.body);
      } else if (url.pathname === '/internal/force_flush') {
        res.writeHead(200).end();
      } else {
        res.writeHead(404).end('not found');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(engine, {
    url,
    writeUrl: `${url}/api/v1/write`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

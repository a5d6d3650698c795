// A recording HTTP server on 127.0.0.1 that stands in for a Pushgateway in unit tests.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body, gunzipped when it came gzip-encoded. */
  body: string;
}

export async function recordingServer(
  reply: (req: RecordedRequest) => { status: number; body?: string } = () => ({
    status: 200,
  }),
) {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      const { status, body: replyBody } = reply(recorded);
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(replyBody ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A registry of fixed text, through the structural interface the Pushgateway client takes. */
export function textRegistry(text: string) {
  return { metrics: () => text };
}

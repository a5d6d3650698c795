// An in-process remote-write receiver for the queue's tests: decodes each request with the
// server's own decoder and answers with scripted statuses.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import snappy from 'snappyjs';
import { labelsKey } from '@tally/model';
import { decodeWriteRequest } from '../src/ingest/remote-write/decode-write-request.js';

export interface FakeReceiver {
  readonly url: string;
  /** Samples received with a 2xx answer, by series key, in arrival order. */
  readonly received: Map<string, { t: number; v: number }[]>;
  readonly requests: { status: number; samples: number }[];
  /** Status for the next requests (consumed in order); 204 when empty. */
  readonly script: number[];
  /** Total samples accepted. */
  accepted(): number;
  close(): Promise<void>;
}

export async function startFakeReceiver(port = 0): Promise<FakeReceiver> {
  const received = new Map<string, { t: number; v: number }[]>();
  const requests: { status: number; samples: number }[] = [];
  const script: number[] = [];
  let accepted = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = script.shift() ?? 204;
      const decoded = decodeWriteRequest(Buffer.from(snappy.uncompress(Buffer.concat(chunks))));
      requests.push({ status, samples: decoded.sampleCount });
      if (status < 300) {
        for (const s of decoded.series) {
          const key = labelsKey(s.labels);
          let list = received.get(key);
          if (!list) received.set(key, (list = []));
          s.timestampsMs.forEach((t, i) => list.push({ t, v: s.values[i]! }));
          accepted += s.values.length;
        }
      }
      res.writeHead(status, status === 429 ? { 'retry-after': '0' } : {});
      res.end(status >= 300 ? `scripted ${status}` : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`,
    received,
    requests,
    script,
    accepted: () => accepted,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

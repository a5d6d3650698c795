import { createServer, type Socket } from 'node:net';
import type { HostPort } from '../../config/serve-config.js';
import type { Logger } from '../../log/logger.js';
import type { StatsdLineSink } from './statsd-ingest.js';
import { StatsdLineSplitter } from './statsd-line-splitter.js';

export interface StatsdTcpListener {
  readonly port: number;
  /** Connections open now. */
  readonly connections: number;
  /** Bytes held for unfinished lines, over every connection. */
  readonly heldBytes: number;
  /** Stops accepting, ends every connection (their unfinished lines are dropped), resolves when closed. */
  close(): Promise<void>;
}

/**
 * StatsD over TCP, as statsd_exporter's TCP listener: each connection is a stream of
 * newline-delimited lines, handled by the same parser and aggregator as UDP datagrams. A bad
 * line is refused and counted and the connection goes on; a line past `maxLineBytes` is
 * refused (`line_too_long`) and skipped; a connection that breaks mid-line loses only that
 * unfinished line (`truncated_line`). One client can never close or stall another: each
 * socket's errors stay on it. At most `maxConnections` are open; more are closed at once and
 * counted (`tcp_connection_limit`).
 */
export async function listenStatsdTcp(
  ingest: StatsdLineSink,
  listen: HostPort,
  maxLineBytes: number,
  log: Logger,
  maxConnections = 1024,
): Promise<StatsdTcpListener> {
  const sockets = new Map<Socket, StatsdLineSplitter>();
  const server = createServer((socket) => {
    const splitter = new StatsdLineSplitter(maxLineBytes);
    sockets.set(socket, splitter);
    let ended = false;
    socket.on('data', (chunk: Buffer) => {
      const { lines, tooLong } = splitter.push(chunk);
      if (tooLong > 0) ingest.refuse('line_too_long', tooLong);
      if (lines) ingest.handle(lines);
    });
    socket.on('end', () => {
      ended = true;
      const last = splitter.end();
      if (last) ingest.handle(last);
      socket.end();
    });
    socket.on('error', (err) => log.debug('StatsD TCP connection failed', { err }));
    socket.on('close', () => {
      sockets.delete(socket);
      if (!ended && splitter.heldBytes > 0) ingest.refuse('truncated_line');
    });
  });
  // Past this, Node closes new connections at once ('drop'): memory stays bounded by
  // maxConnections × maxLineBytes whatever clients do.
  server.maxConnections = maxConnections;
  server.on('drop', () => ingest.refuse('tcp_connection_limit'));
  server.on('error', (err) => log.error('StatsD TCP listener error', { err }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : listen.port,
    get connections() {
      return sockets.size;
    },
    get heldBytes() {
      let n = 0;
      for (const splitter of sockets.values()) n += splitter.heldBytes;
      return n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets.keys()) s.destroy();
      }),
  };
}

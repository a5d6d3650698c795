import { createSocket } from 'node:dgram';
import type { HostPort } from '../../config/serve-config.js';
import type { Logger } from '../../log/logger.js';
import type { SelfMetrics } from '../../self-metrics/self-metrics.js';
import type { StatsdLineSink } from './statsd-ingest.js';

/** The StatsD/DogStatsD UDP listener: every datagram goes to `ingest`. Resolves with the port and a closer. */
export async function listenStatsdUdp(
  ingest: StatsdLineSink,
  listen: HostPort,
  metrics: SelfMetrics,
  log: Logger,
): Promise<{ port: number; close: () => void }> {
  const socket = createSocket({
    type: listen.host.includes(':') ? 'udp6' : 'udp4',
    // Loopback UDP drops datagrams once the listener falls behind: give bursts room.
    recvBufferSize: 16 << 20,
  });
  socket.on('message', (msg) => {
    metrics.statsdPackets.inc();
    ingest.handle(msg);
  });
  socket.on('error', (err) => log.error('StatsD socket error', { err }));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(listen.port, listen.host, () => resolve());
  });
  return { port: socket.address().port, close: () => socket.close() };
}

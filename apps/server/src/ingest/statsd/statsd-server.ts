import { hostname } from 'node:os';
import { isLoopbackHost } from '../../config/serve-config.js';
import type { ServerParts } from '../../server.js';
import { StatsdIngest } from './statsd-ingest.js';
import { STATSD_TCP_MAX_CONNECTIONS, STATSD_TCP_MAX_LINE_BYTES } from './statsd-serve-options.js';
import { listenStatsdTcp, type StatsdTcpListener } from './statsd-tcp.js';
import { listenStatsdUdp } from './statsd-udp.js';

/**
 * Starts the StatsD listeners that are configured — UDP (`--statsd-listen`) and/or TCP
 * (`--statsd-tcp-listen`) — over one aggregator whose series carry `instance` =
 * `--instance-name`, default `<hostname>:<StatsD port>` (the UDP port, else the TCP one).
 * Resolves with the UDP port (undefined when UDP is off). On shutdown the listeners close
 * first, then what is aggregated is flushed.
 */
export async function startStatsdIngest(parts: ServerParts): Promise<number | undefined> {
  const { config, log, metrics } = parts;
  if (config.statsdTcpListen && !isLoopbackHost(config.statsdTcpListen.host))
    log.warn('StatsD over TCP listens beyond loopback; StatsD has no authentication', {
      statsdTcpListen: config.statsdTcpListen,
    });
  const main = config.statsdListen ?? config.statsdTcpListen;
  const ingest = new StatsdIngest(parts, config.instanceName ?? `${hostname()}:${main?.port ?? 0}`);
  const udp = config.statsdListen
    ? await listenStatsdUdp(ingest, config.statsdListen, metrics, log)
    : undefined;
  let tcp: StatsdTcpListener | undefined;
  try {
    if (config.statsdTcpListen)
      tcp = await listenStatsdTcp(
        ingest,
        config.statsdTcpListen,
        STATSD_TCP_MAX_LINE_BYTES,
        log,
        STATSD_TCP_MAX_CONNECTIONS,
      );
  } catch (err) {
    udp?.close();
    throw err;
  }
  // Port 0 (tests): nobody can have sent anything before the bound port is known.
  if (config.instanceName === undefined && main?.port === 0)
    ingest.instanceName = `${hostname()}:${udp?.port ?? tcp?.port ?? 0}`;
  ingest.startFlushing();
  if (udp) parts.endpoints.statsdUdpPort = udp.port;
  if (tcp) parts.endpoints.statsdTcpPort = tcp.port;
  if (tcp) {
    const listener = tcp;
    metrics.gauge('tally_statsd_tcp_connections', 'Open StatsD TCP connections.', () => listener.connections);
  }
  log.info('StatsD listening', {
    udp: udp ? `${config.statsdListen!.host}:${udp.port}` : 'off',
    tcp: tcp ? `${config.statsdTcpListen!.host}:${tcp.port}` : 'off',
    instance: ingest.instanceName,
  });
  parts.stoppers.push(async () => {
    udp?.close();
    await tcp?.close();
    await ingest.stop();
  });
  return udp?.port;
}

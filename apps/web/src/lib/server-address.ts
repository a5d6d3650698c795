// Where instrumented code should send: this page's origin for HTTP (the UI is served by
// `tally serve` itself) and the same host on the port the server's StatsD listener is bound to.

/** StatsD's well-known port, assumed while the server has not said (or cannot: an older server). */
export const DEFAULT_STATSD_PORT = 8125;

/**
 * `statsdUdpPort`: the bound port from `GET /api/v1/status/ingest`; `null` when the server runs
 * without a UDP StatsD listener (then `statsd` is undefined); `undefined` while not known.
 */
export function snippetAddresses(
  location: { origin: string; hostname: string },
  statsdUdpPort?: number | null,
): { baseUrl: string; statsd: string | undefined } {
  const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
  return {
    baseUrl: location.origin,
    statsd: statsdUdpPort === null ? undefined : `${host}:${statsdUdpPort ?? DEFAULT_STATSD_PORT}`,
  };
}

// Where instrumented code should send: this page's origin for HTTP (the UI is served by
// `tally serve` itself) and the same host on StatsD's default port.

export function snippetAddresses(location: { origin: string; hostname: string }): {
  baseUrl: string;
  statsd: string;
} {
  return { baseUrl: location.origin, statsd: `${location.hostname}:8125` };
}

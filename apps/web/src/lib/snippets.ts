// Copy-paste instrumentation for one job, with its URL, id and token filled in: the Tally SDK
// (MetricsLogger over the Pushgateway API, and StatsD), Python's prometheus_client and plain
// StatsD / curl. The metric names are the job's declared ones (or examples).

import { DEFAULT_STATSD_PORT } from './server-address.js';

export interface SnippetContext {
  /** e.g. http://127.0.0.1:9091 */
  readonly baseUrl: string;
  readonly jobId: string;
  readonly token?: string;
  /** host:port of the StatsD listener; undefined when the server has none. */
  readonly statsd: string | undefined;
  readonly metrics: readonly string[];
}

export interface Snippet {
  readonly id: string;
  readonly title: string;
  readonly language: string;
  readonly code: string;
}

const TOKEN_PLACEHOLDER = '<push token>';

const STATSD_OFF =
  '// This server has no StatsD listener: start tally serve with --statsd-listen host:port.\n';

export function snippets(ctx: SnippetContext): Snippet[] {
  const gauge = ctx.metrics[0] ?? 'loss';
  const counter = ctx.metrics[1] ?? 'steps';
  const token = ctx.token ?? TOKEN_PLACEHOLDER;
  const [statsdHost, statsdPort] = splitHostPort(ctx.statsd ?? '');
  const host = new URL(ctx.baseUrl).host;
  return [
    {
      id: 'sdk-logger',
      title: 'Tally SDK — MetricsLogger (push)',
      language: 'typescript',
      code: `// npm install @tally/sdk
// export TALLY_URL=${ctx.baseUrl} TALLY_JOB_ID=${ctx.jobId} TALLY_TOKEN=${token}
import { MetricsLogger } from '@tally/sdk';

const logger = new MetricsLogger();
logger.addGauge('${gauge}');
logger.addCounter('${counter}');

for (let step = 0; step < 100; step++) {
  logger.get('${gauge}').set(Math.random());
  logger.get('${counter}').inc();
  await logger.pushMetrics();
}
`,
    },
    {
      id: 'sdk-statsd',
      title: 'Tally SDK — StatsD',
      language: 'typescript',
      code: `${ctx.statsd === undefined ? STATSD_OFF : ''}// export TALLY_STATSD=${ctx.statsd ?? '<host:port>'} TALLY_JOB_ID=${ctx.jobId}
import { StatsdClient } from '@tally/sdk';

const client = new StatsdClient(); // tags every line with job:${ctx.jobId}
client.increment('${counter}');
client.gauge('${gauge}', 0.42);
await client.close();
`,
    },
    {
      id: 'python-push',
      title: 'Python — prometheus_client push',
      language: 'python',
      code: `from prometheus_client import CollectorRegistry, Gauge, Counter, push_to_gateway
from prometheus_client.exposition import basic_auth_handler

registry = CollectorRegistry()
g = Gauge('${gauge}', '${gauge}', registry=registry)
c = Counter('${counter}', '${counter}', registry=registry)

def auth(url, method, timeout, headers, data):
    # Tally takes the push token as the basic-auth password
    return basic_auth_handler(url, method, timeout, headers, data, 'tally', '${token}')

g.set(0.42)
c.inc()
push_to_gateway('${host}', job='${ctx.jobId}', registry=registry, handler=auth)
`,
    },
    {
      id: 'statsd',
      title: 'StatsD (DogStatsD tags)',
      language: 'shell',
      code: `${ctx.statsd === undefined ? STATSD_OFF.replaceAll('//', '#') : ''}# any StatsD client: tag lines with job:${ctx.jobId}
echo "${counter}:1|c|#job:${ctx.jobId}" | nc -u -w0 ${statsdHost} ${statsdPort}
echo "${gauge}:0.42|g|#job:${ctx.jobId}" | nc -u -w0 ${statsdHost} ${statsdPort}
`,
    },
    {
      id: 'curl',
      title: 'curl — Pushgateway API',
      language: 'shell',
      code: `cat <<'EOF' | curl --fail-with-body -H 'Authorization: Bearer ${token}' --data-binary @- ${ctx.baseUrl}/metrics/job/${ctx.jobId}
# TYPE ${gauge} gauge
${gauge} 0.42
EOF
`,
    },
  ];
}

function splitHostPort(hostPort: string): [string, string] {
  if (hostPort === '') return ['<host>', '<port>'];
  const i = hostPort.lastIndexOf(':');
  const host = i > 0 ? hostPort.slice(0, i) : hostPort;
  // nc takes an IPv6 address without the brackets a URL needs.
  return [host.replace(/^\[(.*)\]$/, '$1'), i > 0 ? hostPort.slice(i + 1) : String(DEFAULT_STATSD_PORT)];
}

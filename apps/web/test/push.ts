// How the e2e tests, the benchmark and the screenshots send metrics: the Tally SDK exactly as
// instrumented code would — MetricsLogger (the seed's push API, a PUT of the job's group) and
// the StatsD client (DogStatsD, job tag from TALLY_JOB_ID).

import { Counter, Gauge, MetricsLogger, StatsdClient } from '@tally/sdk';

/** A job's MetricsLogger with gauges and counters added; values persist across pushes like a live process. */
export function sdkLogger(
  url: string,
  jobId: string,
  token: string | undefined,
  metrics: { gauges?: readonly string[]; counters?: readonly string[] },
): MetricsLogger {
  const logger: MetricsLogger = new MetricsLogger({
    url,
    jobId,
    ...(token ? { token } : {}),
    pushOnExit: false,
    env: {},
  });
  for (const g of metrics.gauges ?? []) logger.addGauge(g, `${g} (e2e)`);
  for (const c of metrics.counters ?? []) logger.addCounter(c, `${c} (e2e)`);
  return logger;
}

export function gauge(logger: MetricsLogger, name: string): Gauge {
  const m = logger.get(name);
  if (!(m instanceof Gauge)) throw new Error(`${name} is not a gauge`);
  return m;
}

export function counter(logger: MetricsLogger, name: string): Counter {
  const m = logger.get(name);
  if (!(m instanceof Counter)) throw new Error(`${name} is not a counter`);
  return m;
}

/** One push of these gauge values with a fresh MetricsLogger. */
export async function sdkPush(
  url: string,
  jobId: string,
  token: string | undefined,
  gauges: Record<string, number>,
): Promise<void> {
  const logger = sdkLogger(url, jobId, token, { gauges: Object.keys(gauges) });
  for (const [name, value] of Object.entries(gauges)) gauge(logger, name).set(value);
  await logger.pushMetrics();
  await logger.close({ finalPush: false });
}

/** Sends StatsD gauges for a job through the SDK's client (UDP to 127.0.0.1:port). */
export async function statsdGauges(
  port: number,
  jobId: string,
  gauges: Record<string, number>,
): Promise<void> {
  const client = new StatsdClient({ host: '127.0.0.1', port, env: { TALLY_JOB_ID: jobId } });
  for (const [name, value] of Object.entries(gauges)) client.gauge(name, value);
  await client.close();
}

// How the e2e tests send metrics: the Tally SDK (a registry pushed over the Pushgateway API) and
// the SDK's StatsD client, exactly as instrumented code would.

import { Counter, Gauge, Registry } from '@tally/sdk';

/** Pushes gauges (and one counter) with the SDK: PUT of the whole group, like pushMetrics(). */
export async function sdkPush(
  url: string,
  jobId: string,
  token: string | undefined,
  gauges: Record<string, number>,
  counter?: { name: string; inc: number },
): Promise<void> {
  const registry = new Registry();
  for (const [name, value] of Object.entries(gauges)) {
    new Gauge({ name, help: `${name} (e2e)`, registers: [registry] }).set(value);
  }
  if (counter) new Counter({ name: counter.name, help: 'e2e', registers: [registry] }).inc(counter.inc);
  const res = await fetch(`${url}/metrics/job/${encodeURIComponent(jobId)}`, {
    method: 'PUT',
    headers: {
      'Content-Type': registry.contentType,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: await registry.metrics(),
  });
  if (!res.ok) throw new Error(`push failed: ${res.status} ${await res.text()}`);
}

// Shared by the StatsD listener tests: polling for a condition (never a fixed sleep) and
// reading back the newest value of each series from a running server's storage.
import { Matcher } from '@tally/storage';
import type { RunningServer } from '../../src/server.js';
import { untilDefined } from '../../../../test-support/poll.js';

export { untilDefined as until };

/** Newest value per series of `name`, keyed `label=value,…` in label order. */
export async function latest(
  server: RunningServer,
  name: string,
  matchers: Matcher[] = [],
): Promise<Map<string, number>> {
  const q = server.storage.querier(0, Date.now() + 10_000);
  const out = new Map<string, number>();
  for (const s of await q.select([new Matcher('=', '__name__', name), ...matchers])) {
    const it = s.iterator();
    let v = NaN;
    while (it.next()) v = it.v;
    out.set(s.labels.map((l) => `${l.name}=${l.value}`).join(','), v);
  }
  return out;
}

/** A refusal counter's value from `/metrics` (0 when absent). */
export async function refused(server: RunningServer, reason: string): Promise<number> {
  const text = await (await fetch(server.url + '/metrics')).text();
  const m = new RegExp(`^tally_statsd_lines_refused_total\\{reason="${reason}"\\} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** `tally_statsd_lines_received_total` from `/metrics`. */
export async function received(server: RunningServer): Promise<number> {
  const text = await (await fetch(server.url + '/metrics')).text();
  const m = /^tally_statsd_lines_received_total (\S+)$/m.exec(text);
  return m ? Number(m[1]) : 0;
}

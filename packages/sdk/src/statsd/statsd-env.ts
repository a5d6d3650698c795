/**
 * Where a StatsD client sends by default and which job it speaks for, from the environment:
 * `TALLY_STATSD` (`host:port`, `[v6]:port`, default `127.0.0.1:8125`), `TALLY_JOB_ID` (tag
 * `job:<id>`, how Tally attributes StatsD lines to a job) and gradient-statsd's `PS_JOB_ID`
 * (tag `container_name:<id>`, as gradient-statsd sends it).
 */
export const DEFAULT_STATSD_HOST = '127.0.0.1';
export const DEFAULT_STATSD_PORT = 8125;

export interface StatsdAddress {
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port`; undefined when the text is not one. */
export function parseStatsdAddress(text: string): StatsdAddress | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? match[2])!, port };
}

export function jobTagsFromEnv(env: NodeJS.ProcessEnv): string[] {
  const tags: string[] = [];
  const job = env.TALLY_JOB_ID;
  if (job) tags.push(`job:${job}`);
  const psJob = env.PS_JOB_ID;
  if (psJob) tags.push(`container_name:${psJob}`);
  return tags;
}

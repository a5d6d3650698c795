/** One target a job declares to be scraped (Prometheus `scrape_config` semantics, one target). */
export interface ScrapeTargetConfig {
  /** `http(s)://host:port/path` of the exposition. */
  readonly url: string;
  readonly intervalMs: number;
  /** At most the interval (Prometheus refuses a longer timeout). */
  readonly timeoutMs: number;
  /** Exposed labels win over the target's `job`/`instance` instead of becoming `exported_*`. */
  readonly honorLabels: boolean;
  /** A scrape with more samples than this fails as a whole (0: no limit). */
  readonly sampleLimit: number;
  /** A body larger than this (uncompressed) fails the scrape (0: no limit). */
  readonly bodySizeLimitBytes: number;
  /** Extra labels on every series of this target. */
  readonly labels: Readonly<Record<string, string>>;
}

export class ScrapeConfigError extends Error {
  override readonly name = 'ScrapeConfigError';
}

const DEFAULTS = { intervalMs: 15_000, timeoutMs: 10_000, sampleLimit: 0, bodySizeLimitBytes: 0 };

/**
 * Checks one target as given in JSON (`{ "url": …, "interval": "15s", "timeout": "10s",
 * "honor_labels": false, "sample_limit": 0, "body_size_limit": "10MB", "labels": {…} }`; numbers
 * of milliseconds also accepted for durations) and fills in Prometheus' defaults.
 */
export function parseScrapeTarget(raw: unknown, where = 'scrape target'): ScrapeTargetConfig {
  if (typeof raw === 'string') raw = { url: raw };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ScrapeConfigError(`${where}: expected an object with at least "url"`);
  }
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (
      !['url', 'interval', 'timeout', 'honor_labels', 'sample_limit', 'body_size_limit', 'labels'].includes(
        key,
      )
    ) {
      throw new ScrapeConfigError(`${where}: unknown key ${JSON.stringify(key)}`);
    }
  }
  if (typeof o.url !== 'string') throw new ScrapeConfigError(`${where}: "url" must be a string`);
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new ScrapeConfigError(`${where}: "url" ${JSON.stringify(o.url)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ScrapeConfigError(`${where}: "url" must be http or https, got ${url.protocol}`);
  }
  const intervalMs =
    o.interval === undefined ? DEFAULTS.intervalMs : durationMs(o.interval, `${where}: "interval"`);
  const timeoutMs =
    o.timeout === undefined
      ? Math.min(DEFAULTS.timeoutMs, intervalMs)
      : durationMs(o.timeout, `${where}: "timeout"`);
  if (intervalMs < 100) throw new ScrapeConfigError(`${where}: "interval" must be at least 100ms`);
  if (timeoutMs > intervalMs) {
    throw new ScrapeConfigError(
      `${where}: "timeout" (${timeoutMs}ms) must not be longer than "interval" (${intervalMs}ms)`,
    );
  }
  const honorLabels = o.honor_labels ?? false;
  if (typeof honorLabels !== 'boolean')
    throw new ScrapeConfigError(`${where}: "honor_labels" must be true or false`);
  const sampleLimit = o.sample_limit ?? DEFAULTS.sampleLimit;
  if (typeof sampleLimit !== 'number' || !Number.isInteger(sampleLimit) || sampleLimit < 0) {
    throw new ScrapeConfigError(`${where}: "sample_limit" must be a non-negative integer`);
  }
  const bodySizeLimitBytes =
    o.body_size_limit === undefined ? 0 : bytes(o.body_size_limit, `${where}: "body_size_limit"`);
  const labels: Record<string, string> = {};
  if (o.labels !== undefined) {
    if (typeof o.labels !== 'object' || o.labels === null || Array.isArray(o.labels)) {
      throw new ScrapeConfigError(`${where}: "labels" must be an object of strings`);
    }
    for (const [k, v] of Object.entries(o.labels)) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) || k.startsWith('__')) {
        throw new ScrapeConfigError(
          `${where}: label name ${JSON.stringify(k)} is not a valid Prometheus label name`,
        );
      }
      if (k === 'job')
        throw new ScrapeConfigError(`${where}: the "job" label is the job's id and cannot be set`);
      if (typeof v !== 'string') throw new ScrapeConfigError(`${where}: label ${k} must have a string value`);
      labels[k] = v;
    }
  }
  return { url: url.toString(), intervalMs, timeoutMs, honorLabels, sampleLimit, bodySizeLimitBytes, labels };
}

function durationMs(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  if (typeof v === 'string') {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v.trim());
    if (m) return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  throw new ScrapeConfigError(
    `${what} must be a duration like "15s" or a number of milliseconds, got ${JSON.stringify(v)}`,
  );
}

function bytes(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string') {
    const m = /^(\d+)\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/.exec(v.trim());
    if (m) {
      const unit = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1 << 20, GiB: 1 << 30 }[
        (m[2] ?? 'B') as 'B'
      ];
      return Number(m[1]) * unit;
    }
  }
  throw new ScrapeConfigError(
    `${what} must be a size like "10MB" or a number of bytes, got ${JSON.stringify(v)}`,
  );
}

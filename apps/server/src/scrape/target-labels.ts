import { labelsFromRecord, type Labels, type MetricFamily } from '@tally/model';

/** One scraped sample, ready for storage. */
export interface ScrapedSample {
  readonly labels: Labels;
  /** The exposed timestamp (honored, as Prometheus' `honor_timestamps` default) or undefined. */
  readonly timestampMs: number | undefined;
  readonly value: number;
}

/**
 * Exposed samples with the target's labels (`job`, `instance`, configured labels) attached, as
 * Prometheus does: with `honor_labels: false` an exposed label that clashes with a target label
 * is kept as `exported_<name>` (again prefixed while that clashes too); with `honor_labels:
 * true` the exposed value wins. Labels with empty values are dropped.
 */
export function attachTargetLabels(
  families: readonly MetricFamily[],
  target: Readonly<Record<string, string>>,
  honorLabels: boolean,
): ScrapedSample[] {
  const out: ScrapedSample[] = [];
  for (const f of families) {
    for (const s of f.samples) {
      const record: Record<string, string> = {};
      for (const l of s.labels) if (l.value !== '') record[l.name] = l.value;
      for (const [name, value] of Object.entries(target)) {
        if (!(name in record)) record[name] = value;
        else if (!honorLabels) {
          let exported = `exported_${name}`;
          while (exported in record) exported = `exported_${exported}`;
          record[exported] = record[name]!;
          record[name] = value;
        }
      }
      record.__name__ = s.name;
      out.push({ labels: labelsFromRecord(record), timestampMs: s.timestampMs, value: s.value });
    }
  }
  return out;
}

/** `host:port` of a target URL, its `instance` label (Prometheus' `__address__`), with the scheme's default port. */
export function instanceOf(url: string): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${port}`;
}

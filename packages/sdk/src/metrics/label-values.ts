/** A label value as callers pass it; numbers are written in their `String()` form. */
export type LabelValue = string | number;

/** Label values by name; a missing label is the empty value, which Prometheus treats as absent. */
export type LabelValues<L extends string> = Partial<Record<L, LabelValue>>;

/** The label value as stored, or an error naming the metric and label when it is not a string or number. */
export function normalizeLabelValue(metricName: string, labelName: string, raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (raw === undefined) return '';
  if (typeof raw === 'number') return String(raw);
  throw new TypeError(
    `metric ${metricName}: label "${labelName}" must be a string or number, got ${typeof raw}`,
  );
}

/** Is this argument a label-values object rather than a number (prom-client's `inc(labels, v)`)? */
export function isLabelObject(arg: unknown): arg is Record<string, unknown> {
  return typeof arg === 'object' && arg !== null;
}

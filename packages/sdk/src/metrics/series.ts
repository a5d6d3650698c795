/**
 * One series of a metric: the object `labels(…)` returns and caches. A series removed from its
 * metric (`remove`, `reset`, `clear`) keeps the label values it had and puts itself back on its
 * next update, as a new series starting from zero (prom-client's bound `labels()` behaves so);
 * a series refused by the series limit stays outside the metric and is never exposed.
 */
export abstract class Series {
  /** @internal Label values by sorted label name while removed; `SINK` when refused by the limit. */
  _detached: readonly string[] | undefined = undefined;
}

/** Marks a series refused by the series limit: it takes updates but is never exposed. */
export const SINK: readonly string[] = Object.freeze([]);

/**
 * The order of the series tree's levels. Exposition wants labels in name order, but the tree
 * is smallest when the label with the most distinct values sits at the last level: at the
 * first level every one of its values would need a node of its own below it. So the tree
 * starts in name order and, when the metric reaches {@link REORDER_AT} series, re-sorts its
 * levels by distinct values seen (fewest first) and rebuilds once per threshold.
 */
export const REORDER_AT: readonly number[] = [256, 4096, 65_536];

/** Level order by ascending distinct-value count; ties keep name order. */
export function orderByCardinality(distinctBySortedIndex: readonly number[]): number[] {
  return distinctBySortedIndex
    .map((count, i) => ({ count, i }))
    .sort((a, b) => a.count - b.count || a.i - b.i)
    .map((x) => x.i);
}

/** Is `order` the identity (levels in label-name order)? */
export function isIdentity(order: readonly number[]): boolean {
  return order.every((v, i) => v === i);
}

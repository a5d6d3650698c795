import { escapeLabelValue, type Label, type Labels } from '@tally/model';
import type { Metric } from '../metrics/metric.js';
import { forEachEntry, type TreeNode } from '../metrics/series-tree.js';
import type { Series } from '../metrics/series.js';

/** A registry's default labels, sorted by name; one frozen array per `setDefaultLabels` call. */
export type DefaultLabels = Labels;

/**
 * How a metric's series labels are written once a registry's default labels join them: the
 * metric's own labels and the defaults are merged in name order, and a default fills in a
 * metric label the series left empty (prom-client: the series' own value wins). Built once per
 * metric and collection, so the walk below does no sorting or lookups per series.
 */
interface Layout {
  /** Per level: `name="` for the label of that level. */
  readonly open: readonly string[];
  /** Per level: the default value used when the series' value is empty. */
  readonly fallback: readonly (string | undefined)[];
  /** Per level: formatted default pairs that sort before this level's label; the last entry: after all. */
  readonly between: readonly string[];
  /** Per level: default labels that sort before this level's label (for `Labels`). */
  readonly betweenLabels: readonly Labels[];
}

function layoutOf(sortedNames: readonly string[], defaults: DefaultLabels): Layout {
  const own = new Set(sortedNames);
  const extra = defaults.filter((l) => !own.has(l.name));
  const between: string[] = [];
  const betweenLabels: Labels[] = [];
  let j = 0;
  for (let level = 0; level <= sortedNames.length; level++) {
    const bound = sortedNames[level];
    const group: Label[] = [];
    while (j < extra.length && (bound === undefined || extra[j]!.name < bound)) group.push(extra[j++]!);
    betweenLabels.push(group);
    between.push(group.map((l) => `${l.name}="${escapeLabelValue(l.value)}"`).join(','));
  }
  return {
    open: sortedNames.map((n) => `${n}="`),
    fallback: sortedNames.map((n) => defaults.find((l) => l.name === n)?.value),
    between,
    betweenLabels,
  };
}

function join(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a},${b}`;
}

/**
 * Visits every series with its label pairs formatted (`a="1",b="2"`, no braces), in tree order.
 * Each level's text is built once per tree node, so a series costs one concatenation.
 */
export function forEachSeriesPairs<C extends Series>(
  metric: Metric<string, C>,
  defaults: DefaultLabels,
  visit: (series: C, pairs: string) => void,
): void {
  const names = metric._sortedNames;
  const n = names.length;
  const root = metric._root();
  if (n === 0) {
    visit(root as C, defaults.length === 0 ? '' : layoutOf(names, defaults).between[0]!);
    return;
  }
  const layout = layoutOf(names, defaults);
  const tail = layout.between[n]!;
  const descend = (node: TreeNode, level: number, prefix: string): void => {
    const before = join(prefix, layout.between[level]!);
    const open = layout.open[level]!;
    const fallback = layout.fallback[level];
    forEachEntry(node, (raw, child) => {
      const value = raw === '' ? fallback : raw;
      const pairs =
        value === undefined || value === '' ? before : join(before, `${open}${escapeLabelValue(value)}"`);
      if (level === n - 1) visit(child as C, tail === '' ? pairs : join(pairs, tail));
      else descend(child as TreeNode, level + 1, pairs);
    });
  };
  descend(root as TreeNode, 0, '');
}

/** Visits every series with its labels (own and default, merged in name order; empty values left out). */
export function forEachSeriesLabels<C extends Series>(
  metric: Metric<string, C>,
  defaults: DefaultLabels,
  visit: (series: C, labels: Labels) => void,
): void {
  const names = metric._sortedNames;
  const layout = layoutOf(names, defaults);
  metric._walk((series, path) => {
    const labels: Label[] = [];
    for (let i = 0; i < names.length; i++) {
      labels.push(...layout.betweenLabels[i]!);
      const value = path[i] === '' ? layout.fallback[i] : path[i];
      if (value !== undefined && value !== '') labels.push({ name: names[i]!, value });
    }
    labels.push(...layout.betweenLabels[names.length]!);
    visit(series, labels);
  });
}

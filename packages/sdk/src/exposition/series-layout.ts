import { escapeLabelValue, type Label, type Labels } from '@tally/model';
import type { Metric } from '../metrics/metric.js';
import type { Series } from '../metrics/series.js';
import { forEachEntry, type TreeNode } from '../metrics/series-tree.js';

/** A registry's default labels, sorted by name; one frozen array per `setDefaultLabels` call. */
export type DefaultLabels = Labels;

/**
 * How a metric's series labels are written once a registry's default labels join them: the
 * metric's own labels and the defaults are merged in name order, and a default fills in a
 * metric label the series left empty (prom-client: the series' own value wins). Built once per
 * metric and collection, so the walks below do no sorting or lookups per series.
 */
interface Layout {
  /** Per label (name order): `name="` for that label. */
  readonly open: readonly string[];
  /** Per label: the default value used when the series' value is empty. */
  readonly fallback: readonly (string | undefined)[];
  /** Per label: formatted default pairs that sort before it; the last entry: after all. */
  readonly between: readonly string[];
  /** Per label: default labels that sort before it (for `Labels`). */
  readonly betweenLabels: readonly Labels[];
}

function layoutOf(sortedNames: readonly string[], defaults: DefaultLabels): Layout {
  const own = new Set(sortedNames);
  const extra = defaults.filter((l) => !own.has(l.name));
  const between: string[] = [];
  const betweenLabels: Labels[] = [];
  let j = 0;
  for (let i = 0; i <= sortedNames.length; i++) {
    const bound = sortedNames[i];
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

/** `name="value"` for one label of a series, or '' when it is empty and no default fills it. */
function pair(layout: Layout, index: number, raw: string): string {
  const value = raw === '' ? layout.fallback[index] : raw;
  return value === undefined || value === '' ? '' : `${layout.open[index]!}${escapeLabelValue(value)}"`;
}

/**
 * Visits every series (its tree leaf) with its label pairs formatted (`a="1",b="2"`, no
 * braces), in tree order. Each level's pair is escaped once per tree node, not per series.
 */
export function forEachSeriesPairs(
  metric: Metric<string, Series>,
  defaults: DefaultLabels,
  visit: (leaf: unknown, pairs: string) => void,
): void {
  const names = metric._sortedNames;
  const n = names.length;
  const root = metric._root();
  const layout = layoutOf(names, defaults);
  if (n === 0) {
    visit(root, layout.between[0]!);
    return;
  }
  const tail = layout.between[n]!;
  if (metric._levelsInNameOrder()) {
    // Levels in name order: a series' pairs are its parent's pairs plus its own.
    const descend = (node: TreeNode, level: number, prefix: string): void => {
      const before = join(prefix, layout.between[level]!);
      forEachEntry(node, (raw, child) => {
        const pairs = join(before, pair(layout, level, raw));
        if (level === n - 1) visit(child, tail === '' ? pairs : join(pairs, tail));
        else descend(child as TreeNode, level + 1, pairs);
      });
    };
    descend(root as TreeNode, 0, '');
    return;
  }
  // Levels reordered by cardinality: keep each level's pair, assemble them in name order at the leaf.
  const toSorted = metric._levelToSorted;
  const pieces = new Array<string>(n).fill('');
  const descend = (node: TreeNode, level: number): void => {
    const index = toSorted[level]!;
    forEachEntry(node, (raw, child) => {
      pieces[index] = pair(layout, index, raw);
      if (level < n - 1) {
        descend(child as TreeNode, level + 1);
        return;
      }
      let pairs = '';
      for (let i = 0; i < n; i++) pairs = join(join(pairs, layout.between[i]!), pieces[i]!);
      visit(child, join(pairs, tail));
    });
  };
  descend(root as TreeNode, 0);
}

/** Visits every series (its tree leaf) with its labels (own and default, merged in name order; empty values left out). */
export function forEachSeriesLabels(
  metric: Metric<string, Series>,
  defaults: DefaultLabels,
  visit: (leaf: unknown, labels: Labels) => void,
): void {
  const names = metric._sortedNames;
  const layout = layoutOf(names, defaults);
  metric._walkLeaves((leaf, path) => {
    const labels: Label[] = [];
    for (let i = 0; i < names.length; i++) {
      labels.push(...layout.betweenLabels[i]!);
      const value = path[i] === '' ? layout.fallback[i] : path[i];
      if (value !== undefined && value !== '') labels.push({ name: names[i]!, value });
    }
    labels.push(...layout.betweenLabels[names.length]!);
    visit(leaf, labels);
  });
}

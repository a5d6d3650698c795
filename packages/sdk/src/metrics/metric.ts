import type { MetricType } from '@tally/model';
import { register as defaultRegister } from '../registry/default-registry.js';
import type { Registry } from '../registry/registry.js';
import { isLabelObject, normalizeLabelValue, type LabelValue, type LabelValues } from './label-values.js';
import { isIdentity, orderByCardinality, REORDER_AT } from './level-order.js';
import { checkLabelNames, DEFAULT_MAX_SERIES, type MetricConfig } from './metric-config.js';
import { SINK, type Series } from './series.js';
import { getOrInsert, removePath, setLeaf, step, walkLeaves, type TreeNode } from './series-tree.js';
import { seriesLimitError } from './series-limit.js';

/** The root level of the series tree (see series-tree.ts). */
export type SeriesNode = Map<string, unknown>;

/**
 * What the four metric types share: name, help, label names, registration, and the series
 * tree. Series live in nested maps, one level per label name, so a lookup by label values walks
 * a few `Map.get`s and never builds a key string (prom-client builds and hashes one per call),
 * and `{a:"1,b:2"}` can never meet `{a:"1",b:"2"}`. The walk is also how exposition finds every
 * series' labels, so a series stores no copy of them.
 *
 * A tree leaf is what the subclass keeps per series: counters and gauges keep a slot number
 * into a Float64Array until someone asks `labels()` for the series, which then becomes a
 * cached series object; histograms and summaries keep their series object.
 */
export abstract class Metric<L extends string, C extends Series> {
  abstract readonly type: MetricType;
  /** The family name (a Tally counter's without `_total`). */
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  readonly maxSeries: number;
  readonly aggregator: string;
  readonly enableExemplars: boolean;
  /** @internal Label names in name order (exposition order); paths outside the tree use it. */
  readonly _sortedNames: readonly string[];
  /** @internal Level i of the tree holds the values of `_sortedNames[_levelToSorted[i]]`. */
  _levelToSorted: readonly number[];
  /** @internal Label sets refused by the series limit so far. */
  _droppedSeries = 0;
  private levelNames: readonly string[];
  /** Per level, the index of its label among positional `labels(…)` arguments. */
  private levelArg: readonly number[];
  private readonly labelNameSet: ReadonlySet<string>;
  private readonly collectHook: ((this: never) => void | Promise<void>) | undefined;
  private readonly onError: ((error: Error) => void) | undefined;
  private root: SeriesNode | C | undefined;
  private seriesCount = 0;
  private reorderStep = 0;
  private limitReported = false;
  private unlabelled: C | undefined;
  /** Detached series whose label set came back as another series object (rare, so kept aside). */
  private readonly forwards = new WeakMap<C, C>();

  protected constructor(
    protected readonly kind: string,
    config: MetricConfig<L>,
    name: string,
    reservedLabels: readonly string[],
  ) {
    this.name = name;
    this.help = config.help;
    this.labelNames = Object.freeze([...(config.labelNames ?? [])]);
    checkLabelNames(kind, name, this.labelNames, reservedLabels);
    this._sortedNames = [...this.labelNames].sort();
    this._levelToSorted = this._sortedNames.map((_, i) => i);
    this.levelNames = this._sortedNames;
    this.levelArg = this._sortedNames.map((n) => this.labelNames.indexOf(n as L));
    this.labelNameSet = new Set(this.labelNames);
    this.maxSeries = config.maxSeries ?? DEFAULT_MAX_SERIES;
    this.aggregator = config.aggregator ?? 'sum';
    this.enableExemplars = config.enableExemplars ?? false;
    this.collectHook = config.collect;
    this.onError = config.onError;
  }

  /** Registers with `config.registers` (default: the default registry); subclasses call it last. */
  protected registerWith(registers: readonly Registry[] | undefined): void {
    this.resetSeries();
    for (const registry of registers ?? [defaultRegister]) registry.registerMetric(this);
  }

  /** A new leaf (a counter's slot, a histogram's series). */
  protected abstract newLeaf(): unknown;
  /** The series object of a leaf, made on first request for slot leaves. */
  protected abstract handleOf(leaf: unknown): C;
  /** A leaf leaves the tree: free what it holds (its slot). */
  protected abstract releaseLeaf(leaf: unknown): void;
  /** A removed series comes back: give it fresh, zeroed state. */
  protected abstract revive(series: C): void;
  /** A series refused by the limit: takes updates, never exposed. */
  protected abstract sinkSeries(): C;

  /** The series for these label values, positional in `labelNames` order or by name; cached. */
  labels(values: LabelValues<L>): C;
  labels(...values: LabelValue[]): C;
  labels(...args: unknown[]): C {
    const first = args[0];
    const byName = args.length === 1 && isLabelObject(first);
    const leaf = byName ? this.leafFor(first) : this.leafAt(args);
    if (typeof leaf !== 'number') return leaf as C;
    // First request for this series: a slot leaf becomes a cached series object.
    const handle = this.handleOf(leaf);
    const path = byName ? this.pathOf(first) : this.pathAt(args);
    setLeaf(this.root as SeriesNode, this.toLevels(path), handle);
    if (path.every((v) => v === '')) this.unlabelled = handle;
    return handle;
  }

  /** @internal The series for a label-values object, as an object. */
  protected seriesFor(values: Readonly<Record<string, unknown>>): C {
    const leaf = this.leafFor(values);
    return typeof leaf === 'number' ? this.labels(values as LabelValues<L>) : (leaf as C);
  }

  /**
   * The leaf for a label-values object: the hot path of `inc(labels, v)`. The values are read
   * in level order and looked up level by level; only a miss or an odd argument takes the slow
   * path, which validates, creates and counts against the limit.
   */
  protected leafFor(values: Readonly<Record<string, unknown>>): unknown {
    const names = this.levelNames;
    const n = names.length;
    if (n === 0) {
      for (const _ in values) return this.slowLeaf(values);
      return this.root;
    }
    let node: unknown = this.root;
    for (let i = 0; i < n; i++) {
      const raw = values[names[i]!];
      if (typeof raw !== 'string' && typeof raw !== 'number') return this.slowLeaf(values);
      node = step(node as TreeNode, typeof raw === 'string' ? raw : String(raw));
      if (node === undefined) return this.slowLeaf(values);
    }
    let keys = 0;
    for (const _ in values) keys++;
    return keys === n ? node : this.slowLeaf(values);
  }

  /** The leaf for positional label values in `labelNames` order. */
  protected leafAt(args: readonly unknown[]): unknown {
    const n = this.levelNames.length;
    if (args.length !== n) {
      throw new Error(
        `${this.kind} ${this.name}: expected ${n} label value${n === 1 ? '' : 's'} (${this.labelNames.join(', ')}), got ${args.length}`,
      );
    }
    if (n === 0) return this.root;
    let node: unknown = this.root;
    for (let i = 0; i < n && node !== undefined; i++) {
      const raw = args[this.levelArg[i]!];
      node = step(node as TreeNode, typeof raw === 'string' ? raw : String(raw));
    }
    return node ?? this.lookupOrCreate(this.pathAt(args));
  }

  private slowLeaf(values: Readonly<Record<string, unknown>>): unknown {
    const path = this.pathOf(values);
    return path.length === 0 ? this.root : this.lookupOrCreate(path);
  }

  /** Label values in name order from an object, validated; a missing label is empty. */
  private pathOf(values: Readonly<Record<string, unknown>>): string[] {
    for (const key in values) {
      if (!this.labelNameSet.has(key)) {
        throw new Error(
          `${this.kind} ${this.name}: label "${key}" is not one of its label names [${this.labelNames.join(', ')}]`,
        );
      }
    }
    return this._sortedNames.map((name) => normalizeLabelValue(this.name, name, values[name]));
  }

  /** Label values in name order from positional arguments, validated. */
  private pathAt(args: readonly unknown[]): string[] {
    const n = this._sortedNames.length;
    if (args.length !== n)
      throw new Error(
        `${this.kind} ${this.name}: expected ${n} label values (${this.labelNames.join(', ')}), got ${args.length}`,
      );
    return this._sortedNames.map((name) =>
      normalizeLabelValue(this.name, name, args[this.labelNames.indexOf(name as L)]),
    );
  }

  /** A name-ordered path in the tree's level order. */
  private toLevels(path: readonly string[]): string[] {
    return this._levelToSorted.map((i) => path[i]!);
  }

  /** The series with every label empty: `inc()` on a labelled metric (prom-client allows it). */
  protected unlabelledSeries(): C {
    if (this._sortedNames.length === 0) return this.root as C;
    const cached = this.unlabelled;
    if (cached !== undefined && cached._detached === undefined) return cached;
    return this.labels(...this._sortedNames.map(() => ''));
  }

  private lookupOrCreate(path: readonly string[]): unknown {
    let refused = false;
    const leaf = getOrInsert(this.root as SeriesNode, this.toLevels(path), () => {
      if (this.admit(path)) return this.newLeaf();
      refused = true;
      return undefined;
    });
    if (refused) return this.sinkSeries();
    if (this.reorderStep < REORDER_AT.length && this.seriesCount >= REORDER_AT[this.reorderStep]!)
      this.reorder();
    return leaf;
  }

  /** Counts a new series against the limit, or counts and reports its refusal. */
  private admit(path: readonly string[]): boolean {
    if (this.seriesCount < this.maxSeries) {
      this.seriesCount++;
      return true;
    }
    this._droppedSeries++;
    if (!this.limitReported) {
      this.limitReported = true;
      const error = seriesLimitError(this.kind, this.name, this.maxSeries, this._sortedNames, path);
      if (this.onError) this.onError(error);
      else process.emitWarning(error);
    }
    return false;
  }

  /** Rebuilds the tree with its levels ordered by distinct values, fewest first (level-order.ts). */
  private reorder(): void {
    this.reorderStep++;
    const n = this._sortedNames.length;
    if (n < 2) return;
    const distinct = this._sortedNames.map(() => new Set<string>());
    const entries: [string[], unknown][] = [];
    this._walkLeaves((leaf, path) => {
      path.forEach((v, i) => distinct[i]!.add(v));
      entries.push([path.slice(), leaf]);
    });
    const order = orderByCardinality(distinct.map((s) => s.size));
    if (order.every((v, i) => v === this._levelToSorted[i])) return;
    this._levelToSorted = order;
    this.levelNames = order.map((i) => this._sortedNames[i]!);
    this.levelArg = this.levelNames.map((name) => this.labelNames.indexOf(name as L));
    const root: SeriesNode = new Map();
    for (const [path, leaf] of entries) getOrInsert(root, this.toLevels(path), () => leaf);
    this.root = root;
  }

  /** @internal Is the tree in label-name order (so exposition can build labels level by level)? */
  _levelsInNameOrder(): boolean {
    return isIdentity(this._levelToSorted);
  }

  /** @internal Puts a removed series back (as a new series from zero) on its next update. */
  _reattach(series: C): void {
    const path = series._detached;
    if (path === undefined || path === SINK) return;
    series._detached = SINK;
    const levels = this.toLevels(path);
    const placed = getOrInsert(this.root as SeriesNode, levels, () => {
      if (!this.admit(path)) return undefined;
      this.revive(series);
      return series;
    });
    if (placed === series) {
      series._detached = undefined;
    } else if (typeof placed === 'number' && this.adopt(series, placed)) {
      // The label set came back meanwhile through `inc(labels)`: the held series takes over its slot.
      setLeaf(this.root as SeriesNode, levels, series);
      series._detached = undefined;
    } else if (placed !== undefined) {
      // Another series object has the label set now: updates of this one go to it.
      this.forwards.set(series, placed);
    }
    // Otherwise the limit refused it: this one stays outside (counted as dropped).
  }

  /** @internal Where updates of a detached series go when its label set came back as another series. */
  _forwardOf(series: C): C | undefined {
    return this.forwards.get(series);
  }

  /** A detached series takes over the slot of a slot leaf with its label set (counters, gauges). */
  protected adopt(_series: C, _slot: number): boolean {
    return false;
  }

  /** Removes the series with these label values (positional or by name); a no-op when absent. */
  remove(values: LabelValues<L>): void;
  remove(...values: LabelValue[]): void;
  remove(...args: unknown[]): void {
    if (this._sortedNames.length === 0)
      throw new Error(`${this.kind} ${this.name}: has no labels; use reset()`);
    const first = args[0];
    const path = args.length === 1 && isLabelObject(first) ? this.pathOf(first) : this.pathAt(args);
    const leaf = removePath(this.root as SeriesNode, this.toLevels(path));
    if (leaf === undefined) return;
    this.detach(leaf, path);
    this.seriesCount--;
  }

  private detach(leaf: unknown, path: readonly string[]): void {
    this.releaseLeaf(leaf);
    if (typeof leaf === 'object' && leaf !== null) (leaf as C)._detached = path;
  }

  /** Removes every labelled series (Python's `clear()`); an unlabelled metric keeps its value. */
  clear(): void {
    if (this._sortedNames.length === 0) return;
    this._walkLeaves((leaf, path) => this.detach(leaf, path.slice()));
    this.root = new Map();
    this.seriesCount = 0;
  }

  /** Back to the state at construction: no labelled series, the unlabelled series at zero (prom-client). */
  reset(): void {
    if (this._sortedNames.length === 0) this.revive(this.root as C);
    else this.clear();
  }

  private resetSeries(): void {
    if (this._sortedNames.length === 0) {
      this.root = this.handleOf(this.newLeaf());
      this.seriesCount = 1;
    } else this.root = new Map();
  }

  /** Number of series currently exposed. */
  get seriesSize(): number {
    return this._sortedNames.length === 0 ? 1 : this.seriesCount;
  }

  /**
   * @internal Visits every leaf with its label values in name order (the array is reused
   * between calls: copy it to keep it).
   */
  _walkLeaves(visit: (leaf: unknown, path: readonly string[]) => void): void {
    const n = this._sortedNames.length;
    if (n === 0) {
      visit(this.root, []);
      return;
    }
    const toSorted = this._levelToSorted;
    const path = new Array<string>(n).fill('');
    walkLeaves(this.root as SeriesNode, n, (leaf, levels) => {
      for (let i = 0; i < n; i++) path[toSorted[i]!] = levels[i]!;
      visit(leaf, path);
    });
  }

  /** @internal The root of the series tree (the series itself when unlabelled). */
  _root(): SeriesNode | C {
    return this.root as SeriesNode | C;
  }

  /** @internal Runs the `collect` hook before a collection. */
  _collect(): void | Promise<void> {
    return this.collectHook?.call(this as never);
  }
}

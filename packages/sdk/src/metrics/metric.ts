import type { MetricType } from '@tally/model';
import { register as defaultRegister } from '../registry/default-registry.js';
import type { Registry } from '../registry/registry.js';
import { isLabelObject, normalizeLabelValue, type LabelValue, type LabelValues } from './label-values.js';
import { checkLabelNames, DEFAULT_MAX_SERIES, type MetricConfig } from './metric-config.js';
import { SINK, type Series } from './series.js';
import { forEachEntry, getOrInsert, removePath, step, type TreeNode } from './series-tree.js';

/** The root level of the series tree (see series-tree.ts). */
export type SeriesNode = Map<string, unknown>;

/**
 * What the four metric types share: name, help, label names, registration, and the series
 * tree. Series live in nested maps, one level per label name in sorted order, so a lookup by
 * label values walks a few `Map.get`s and never builds a key string (prom-client builds and
 * hashes one per call), and `{a:"1,b:2"}` can never meet `{a:"1",b:"2"}`. The walk is also
 * how exposition finds every series' labels, so a series stores no copy of them.
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
  /** @internal Label names in sorted order: level i of the tree holds values of `_sortedNames[i]`. */
  readonly _sortedNames: readonly string[];
  /** @internal Label sets refused by the series limit so far. */
  _droppedSeries = 0;
  private readonly declaredIndex: readonly number[];
  private readonly labelNameSet: ReadonlySet<string>;
  private readonly collectHook: ((this: never) => void | Promise<void>) | undefined;
  private readonly onError: ((error: Error) => void) | undefined;
  private root: SeriesNode | C | undefined;
  private seriesCount = 0;
  private limitReported = false;
  private unlabelled: C | undefined;

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
    this.declaredIndex = this._sortedNames.map((n) => this.labelNames.indexOf(n as L));
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

  /** The series for these label values, positional in `labelNames` order or by name; cached. */
  labels(values: LabelValues<L>): C;
  labels(...values: LabelValue[]): C;
  labels(...args: unknown[]): C {
    const first = args[0];
    if (args.length === 1 && isLabelObject(first)) return this.seriesFor(first);
    return this.seriesAt(args);
  }

  /** The series for a label-values object (the hot path of `inc(labels, v)`). */
  protected seriesFor(values: Readonly<Record<string, unknown>>): C {
    const names = this._sortedNames;
    const n = names.length;
    if (n === 0) {
      for (const _ in values) return this.slowSeries(values);
      return this.root as C;
    }
    let node: unknown = this.root;
    for (let i = 0; i < n; i++) {
      const raw = values[names[i]!];
      if (typeof raw !== 'string' && typeof raw !== 'number') return this.slowSeries(values);
      node = step(node as TreeNode, typeof raw === 'string' ? raw : String(raw));
      if (node === undefined) return this.slowSeries(values);
    }
    let keys = 0;
    for (const _ in values) keys++;
    return keys === n ? (node as C) : this.slowSeries(values);
  }

  /** The series for positional label values in `labelNames` order. */
  protected seriesAt(args: readonly unknown[]): C {
    const n = this._sortedNames.length;
    if (args.length !== n) {
      throw new Error(
        `${this.kind} ${this.name}: expected ${n} label value${n === 1 ? '' : 's'} (${this.labelNames.join(', ')}), got ${args.length}`,
      );
    }
    if (n === 0) return this.unlabelledSeries();
    let node: unknown = this.root;
    for (let i = 0; i < n && node !== undefined; i++) {
      const raw = args[this.declaredIndex[i]!];
      node = step(node as TreeNode, typeof raw === 'string' ? raw : String(raw));
    }
    if (node !== undefined) return node as C;
    return this.lookupOrCreate(
      this._sortedNames.map((name, i) => normalizeLabelValue(this.name, name, args[this.declaredIndex[i]!])),
    );
  }

  private slowSeries(values: Readonly<Record<string, unknown>>): C {
    for (const key in values) {
      if (!this.labelNameSet.has(key)) {
        throw new Error(
          `${this.kind} ${this.name}: label "${key}" is not one of its label names [${this.labelNames.join(', ')}]`,
        );
      }
    }
    if (this._sortedNames.length === 0) return this.unlabelledSeries();
    return this.lookupOrCreate(
      this._sortedNames.map((name) => normalizeLabelValue(this.name, name, values[name])),
    );
  }

  /** The series with every label empty: `inc()` on a labelled metric (prom-client allows it). */
  protected unlabelledSeries(): C {
    if (this._sortedNames.length === 0) return this.root as C;
    const cached = this.unlabelled;
    if (cached !== undefined && cached._detached === undefined) return cached;
    return (this.unlabelled = this.lookupOrCreate(this._sortedNames.map(() => '')));
  }

  private lookupOrCreate(path: readonly string[]): C {
    let refused: C | undefined;
    const series = getOrInsert(this.root as SeriesNode, path, () => {
      const created = this.newSeries();
      if (this.admit(path)) return created;
      created._detached = SINK;
      refused = created;
      return undefined;
    });
    return series ?? refused!;
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
      const labels = this._sortedNames.map((n, i) => `${n}=${JSON.stringify(path[i])}`).join(', ');
      const error = new Error(
        `${this.kind} ${this.name}: series limit of ${this.maxSeries} reached; new label sets (first: {${labels}}) are dropped and counted in tally_sdk_series_dropped_total. Unbounded label values (ids, paths) are the usual cause.`,
      );
      error.name = 'SeriesLimitError';
      if (this.onError) this.onError(error);
      else process.emitWarning(error);
    }
    return false;
  }

  /** @internal Puts a removed series back (as a new series from zero) on its next update. */
  _reattach(series: C): void {
    const path = series._detached;
    if (path === undefined || path === SINK) return;
    series._detached = SINK;
    series._zero();
    if (path.length === 0) {
      series._detached = undefined;
      return;
    }
    // If another series took the label set meanwhile, or the limit is reached, this handle stays outside.
    const placed = getOrInsert(this.root as SeriesNode, path, () => (this.admit(path) ? series : undefined));
    if (placed === series) series._detached = undefined;
  }

  /** Removes the series with these label values (positional or by name); a no-op when absent. */
  remove(values: LabelValues<L>): void;
  remove(...values: LabelValue[]): void;
  remove(...args: unknown[]): void {
    const n = this._sortedNames.length;
    if (n === 0) throw new Error(`${this.kind} ${this.name}: has no labels; use reset()`);
    const first = args[0];
    let path: string[];
    if (args.length === 1 && isLabelObject(first)) {
      for (const key in first) {
        if (!this.labelNameSet.has(key))
          throw new Error(`${this.kind} ${this.name}: label "${key}" is not one of its label names`);
      }
      path = this._sortedNames.map((name) => normalizeLabelValue(this.name, name, first[name]));
    } else {
      if (args.length !== n)
        throw new Error(
          `${this.kind} ${this.name}: expected ${n} label values to remove, got ${args.length}`,
        );
      path = this._sortedNames.map((name, i) =>
        normalizeLabelValue(this.name, name, args[this.declaredIndex[i]!]),
      );
    }
    const series = removePath(this.root as SeriesNode, path) as C | undefined;
    if (series === undefined) return;
    series._detached = path;
    this.seriesCount--;
  }

  /** Removes every labelled series (Python's `clear()`); an unlabelled metric keeps its value. */
  clear(): void {
    if (this._sortedNames.length === 0) return;
    this._walk((series, path) => {
      series._detached = path.slice();
    });
    this.root = new Map();
    this.seriesCount = 0;
  }

  /** Back to the state at construction: no labelled series, the unlabelled series at zero (prom-client). */
  reset(): void {
    if (this._sortedNames.length === 0) (this.root as C)._zero();
    else this.clear();
  }

  private resetSeries(): void {
    if (this._sortedNames.length === 0) {
      this.root = this.newSeries();
      this.seriesCount = 1;
    } else this.root = new Map();
  }

  /** Number of series currently exposed. */
  get seriesSize(): number {
    return this._sortedNames.length === 0 ? 1 : this.seriesCount;
  }

  /**
   * @internal Visits every series with its label values in sorted-name order (the array is
   * reused between calls: copy it to keep it).
   */
  _walk(visit: (series: C, path: readonly string[]) => void): void {
    const n = this._sortedNames.length;
    if (n === 0) {
      visit(this.root as C, []);
      return;
    }
    const path: string[] = new Array<string>(n).fill('');
    const descend = (node: TreeNode, level: number): void => {
      forEachEntry(node, (value, child) => {
        path[level] = value;
        if (level === n - 1) visit(child as C, path);
        else descend(child as TreeNode, level + 1);
      });
    };
    descend(this.root as SeriesNode, 0);
  }

  /** @internal The root of the series tree (the series itself when unlabelled). */
  _root(): SeriesNode | C {
    return this.root as SeriesNode | C;
  }

  /** @internal Runs the `collect` hook before a collection. */
  _collect(): void | Promise<void> {
    return this.collectHook?.call(this as never);
  }

  protected abstract newSeries(): C;
}

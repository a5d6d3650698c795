import type { Labels } from '../../labels.js';
import { labelsFromParsedPairs } from './labels-builder.js';
import type { NameValidation } from './prom-text-line.js';

/** What the series part of one sample line (`name{labels}`) parsed to. */
export interface CachedSeries {
  readonly name: string;
  /** Offset of the metric name from the start of the series text (it may sit inside the braces). */
  readonly nameOffset: number;
  /** Flat label pairs as written (`[n0, v0, …]`, empty values included), for the family checks. */
  readonly pairs: readonly string[];
  /** Offset of each label value's opening quote from the start of the series text (for errors). */
  readonly valueOffsets: readonly number[];
  /** The sample's labels; the same object every time this text is seen again. */
  readonly labels: Labels;
  /** The series text itself (the cache's key). */
  readonly text: string;
  /** The entry that followed this one on the last line where it was found: the next line's guess. */
  next: CachedSeries | undefined;
}

/**
 * A copy of `s` that shares no memory with the string it was cut from. `slice` of 13 or more
 * characters makes a view into the whole input in V8, and a cache entry that outlives the
 * input would keep all of it alive; concatenation and a slice of the result copies the text.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * Remembers the series part of the text format's sample lines — the exact characters from the
 * metric name to the closing `}` — with what they parsed to, so a body that repeats the series
 * of an earlier one (a Pushgateway group pushed again) skips reading labels: a line whose series
 * text was seen is looked up, its labels reused (the same {@link Labels} object, which callers
 * may key their own caches on), and only its value and timestamp are read. Entries are kept only
 * for text that parsed without error, and the family checks (`le`, `quantile`, counts) still run
 * on every sample. Bounded: past `maxEntries` it starts over.
 */
export class SeriesTextCache {
  private readonly byText = new Map<string, CachedSeries>();
  /** The name rules the entries were checked with: a parser with other rules starts over. */
  private names: NameValidation | undefined;

  constructor(readonly maxEntries = 1_000_000) {}

  /** Called by a parser before it reads with this cache. */
  useFor(names: NameValidation): void {
    if (this.names !== names) this.byText.clear();
    this.names = names;
  }

  get size(): number {
    return this.byText.size;
  }

  clear(): void {
    this.byText.clear();
  }

  /** Lines found in the cache, and lines looked up but not found, since it was made. */
  hits = 0;
  misses = 0;

  /**
   * The entry for `text[start, end)`, if that series text was parsed before. `after`: the entry
   * of the input's previous sample line, if it had one — a body that repeats an earlier one has
   * its lines in the same order, so the entry that followed `after` last time is compared first,
   * which costs a comparison of the text instead of hashing it and probing a large map.
   */
  find(text: string, start: number, end: number, after?: CachedSeries): CachedSeries | undefined {
    const guess = after?.next;
    if (guess !== undefined && guess.text.length === end - start && text.startsWith(guess.text, start)) {
      this.hits++;
      return guess;
    }
    const found = this.byText.get(text.slice(start, end));
    if (found === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    if (after !== undefined) after.next = found;
    return found;
  }

  /**
   * Remembers `text[start, end)` as parsing to `name` and `pairs`; returns the entry (its
   * strings copied out of `text`, so the cache never holds a whole input). `after` as for
   * {@link find}.
   */
  add(
    text: string,
    start: number,
    end: number,
    name: string,
    nameAt: number,
    pairs: readonly string[],
    valueAt: readonly number[],
    after?: CachedSeries,
  ): CachedSeries {
    if (this.byText.size >= this.maxEntries) this.byText.clear();
    const ownPairs = pairs.map(detach);
    const series = detach(text.slice(start, end));
    const entry: CachedSeries = {
      name: detach(name),
      nameOffset: nameAt - start,
      pairs: ownPairs,
      valueOffsets: valueAt.map((at) => at - start),
      labels: labelsFromParsedPairs(ownPairs),
      text: series,
      next: undefined,
    };
    this.byText.set(series, entry);
    if (after !== undefined) after.next = entry;
    return entry;
  }
}

/**
 * Where the series part of a sample line `text[start, end)` ends, found without parsing: after
 * the line's last `}` when a `{` follows the first token (a value or timestamp never contains
 * `}`), else at the first blank or tab. -1 when there is no such end. Only an end the full parser
 * also reached is ever stored, so a line is read from the cache only if its series text is
 * exactly one that parsed before. Scans the line only.
 */
export function seriesTextEnd(text: string, start: number, end: number): number {
  let i = start;
  let c = -1;
  while (i < end) {
    c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x20 || c === 0x09) break;
    i++;
  }
  if (i >= end) return -1;
  let brace = i;
  if (c !== 0x7b) {
    while (brace < end && (text.charCodeAt(brace) === 0x20 || text.charCodeAt(brace) === 0x09)) brace++;
    if (brace >= end || text.charCodeAt(brace) !== 0x7b) return i;
  }
  for (let k = end - 1; k > brace; k--) if (text.charCodeAt(k) === 0x7d) return k + 1;
  return -1;
}

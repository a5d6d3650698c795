import { labelsKey, SeriesTextCache, type ExposedSample, type Label, type Labels } from '@tally/model';
import type { SeriesStat } from '../../jobs/job-stats.js';
import { mergeLabels, withMetricName } from './push-group.js';

/** One series of a push group, in the forms the last-push state and the ingest need. */
export interface PushSeries {
  /** The sample's labels with the grouping key's merged in: what `GET /metrics` shows. */
  readonly labels: Labels;
  /** `labels` with `__name__`: the stored series. */
  readonly storageLabels: Labels;
  /** `labelsKey(storageLabels)`. */
  readonly key: string;
  /** Its labels passed the limits and name rules (a push that had it got past the ingest check). */
  checked: boolean;
  /** The last push (a {@link GroupSeries.nextPush} number) that had it: seen twice is a duplicate. */
  seenIn: number;
  /** Its entry in the job's stats, from the last push that wrote it (see IngestSeries.stat). */
  stat: SeriesStat | undefined;
}

/**
 * What one Pushgateway group remembers of its series between pushes, so pushing the same
 * series again (the usual case: a job re-PUTs its metrics with new values) costs a lookup per
 * sample instead of a label merge, a `__name__` insertion, a `labelsKey` and the label checks.
 * The text parser's {@link SeriesTextCache} gives a repeated series line the same `Labels`
 * object as last time, which is the key here; other body formats look series up by their key.
 * Entries depend only on the sample and the grouping key (fixed for a group), never on the
 * group's state, so they stay valid whatever happens to the group.
 */
export class GroupSeries {
  private readonly byParsed = new Map<Labels, PushSeries>();
  private readonly byKey = new Map<string, PushSeries>();
  private pushes = 0;

  /**
   * `url`: the grouping key's labels, sorted by name. `text`: the cache this group's text bodies
   * are parsed with — its job's, shared by the job's groups (they mostly push the same series
   * text under different grouping keys), bounded by its own `maxEntries`.
   */
  constructor(
    private readonly url: readonly Label[],
    readonly text: SeriesTextCache,
  ) {}

  /** A number for a new push, for duplicate detection through {@link PushSeries.seenIn}. */
  nextPush(): number {
    return ++this.pushes;
  }

  /**
   * The series of a pushed sample. `parsedHere`: the sample comes from a text body parsed with
   * {@link text}, so its labels object identifies its series text.
   */
  resolve(sample: ExposedSample, parsedHere: boolean): PushSeries {
    if (parsedHere) {
      const known = this.byParsed.get(sample.labels);
      if (known !== undefined) return known;
    }
    const labels = mergeLabels(sample.labels, this.url);
    const storageLabels = withMetricName(labels, sample.name);
    const key = labelsKey(storageLabels);
    let series = this.byKey.get(key);
    if (series === undefined) {
      series = { labels, storageLabels, key, checked: false, seenIn: 0, stat: undefined };
      this.byKey.set(key, series);
    }
    if (parsedHere) this.byParsed.set(sample.labels, series);
    return series;
  }

  /**
   * After a push of `pushedSeries` series: starts over when far more is remembered than pushed
   * (series that went away, or bodies that never repeat), so memory stays near the group's size.
   */
  trim(pushedSeries: number): void {
    const limit = 2 * pushedSeries + 1024;
    if (this.byKey.size > limit || this.byParsed.size > limit) {
      this.byKey.clear();
      this.byParsed.clear();
    }
  }
}

/** The grouping key's labels, sorted by name (an empty value stays: it removes a body label). */
export function groupingLabels(key: Readonly<Record<string, string>>): Label[] {
  return Object.keys(key)
    .sort()
    .map((name) => ({ name, value: key[name]! }));
}

interface JobText {
  readonly cache: SeriesTextCache;
  /** Pushes to groups without their own series yet, parsed so far. */
  uncached: number;
  /** No cache for those pushes while `uncached` is below this. */
  skipUntil: number;
  hitsBefore: number;
  missesBefore: number;
  sizeBefore: number;
}

/**
 * Each job's {@link SeriesTextCache}, shared by the job's groups: a job typically pushes the same
 * series text under many grouping keys (a group per step or per worker), so even a group's first
 * push finds its lines parsed. A job whose bodies never repeat would only pay for copying every
 * line into the cache, so after a push to a new group that missed more lines than it found in
 * a cache that was not empty, the next 32 such pushes of the job parse without it (groups pushed
 * again keep using it).
 */
export class JobTextCaches {
  private readonly byJob = new Map<string, JobText>();

  constructor(private readonly maxEntriesPerJob = 100_000) {}

  /** The job's cache (for its groups' {@link GroupSeries}). */
  of(jobId: string): SeriesTextCache {
    return this.entry(jobId).cache;
  }

  /** The cache to parse a push to a group of `jobId` that has no series remembered, if any. */
  forNewGroup(jobId: string): SeriesTextCache | undefined {
    const j = this.entry(jobId);
    if (j.uncached < j.skipUntil) return undefined;
    j.hitsBefore = j.cache.hits;
    j.missesBefore = j.cache.misses;
    j.sizeBefore = j.cache.size;
    return j.cache;
  }

  /** Right after the parse of such a push: how it went decides whether the next ones use the cache. */
  parsedNewGroup(jobId: string, parsedWith: SeriesTextCache | undefined): void {
    const j = this.byJob.get(jobId);
    if (!j) return;
    j.uncached++;
    // An empty cache misses everything: only a push that found a filled cache of no use counts.
    if (parsedWith !== j.cache || j.sizeBefore === 0) return;
    if (j.cache.misses - j.missesBefore > j.cache.hits - j.hitsBefore) j.skipUntil = j.uncached + 32;
  }

  forget(jobId: string): void {
    this.byJob.delete(jobId);
  }

  clear(): void {
    this.byJob.clear();
  }

  private entry(jobId: string): JobText {
    let j = this.byJob.get(jobId);
    if (!j) {
      j = {
        cache: new SeriesTextCache(this.maxEntriesPerJob),
        uncached: 0,
        skipUntil: 0,
        hitsBefore: 0,
        missesBefore: 0,
        sizeBefore: 0,
      };
      this.byJob.set(jobId, j);
    }
    return j;
  }
}

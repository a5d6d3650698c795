import { labelsKey, SeriesTextCache, type ExposedSample, type Label, type Labels } from '@tally/model';
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
  /** Handed to the text parser for this group's bodies. */
  readonly text = new SeriesTextCache();
  private readonly byParsed = new Map<Labels, PushSeries>();
  private readonly byKey = new Map<string, PushSeries>();
  private pushes = 0;

  /** `url`: the grouping key's labels, sorted by name. */
  constructor(private readonly url: readonly Label[]) {}

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
      series = { labels, storageLabels, key, checked: false, seenIn: 0 };
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
    if (this.byKey.size > limit || this.byParsed.size > limit || this.text.size > limit) {
      this.byKey.clear();
      this.byParsed.clear();
      this.text.clear();
    }
  }
}

/** The grouping key's labels, sorted by name (an empty value stays: it removes a body label). */
export function groupingLabels(key: Readonly<Record<string, string>>): Label[] {
  return Object.keys(key)
    .sort()
    .map((name) => ({ name, value: key[name]! }));
}

import type { Labels } from '@tally/model';
import type { Matcher } from '@tally/storage';

/**
 * The head's inverted index: label name → value → the series carrying that pair, in creation
 * (= ref) order. A select starts from the smallest postings list a matcher yields and checks
 * the other matchers on each candidate's labels.
 */
export class PostingsIndex<S extends { readonly labels: Labels; removed: boolean }> {
  private readonly byName = new Map<string, Map<string, S[]>>();

  add(s: S): void {
    for (const l of s.labels) {
      let values = this.byName.get(l.name);
      if (!values) this.byName.set(l.name, (values = new Map<string, S[]>()));
      const list = values.get(l.value);
      if (list) list.push(s);
      else values.set(l.value, [s]);
    }
  }

  /** Drops series already flagged `removed`, touching only the lists they were in. */
  removeFlagged(gone: readonly S[]): void {
    const touched = new Set<S[]>();
    for (const s of gone)
      for (const l of s.labels) {
        const list = this.byName.get(l.name)?.get(l.value);
        if (list) touched.add(list);
      }
    for (const list of touched) {
      let j = 0;
      for (const s of list) if (!s.removed) list[j++] = s;
      list.length = j;
    }
    for (const s of gone)
      for (const l of s.labels) {
        const values = this.byName.get(l.name);
        if (values?.get(l.value)?.length === 0) values.delete(l.value);
        if (values?.size === 0) this.byName.delete(l.name);
      }
  }

  /**
   * Candidates for a conjunction of matchers: the postings of the most selective matcher that
   * does not match the empty string, or `null` meaning "every series" when all of them do.
   */
  candidates(matchers: readonly Matcher[]): readonly S[] | null {
    let best: S[] | null = null;
    for (const m of matchers) {
      if (m.matchesEmpty()) continue;
      const values = this.byName.get(m.name);
      let list: S[];
      if (!values) list = [];
      else if (m.type === '=') list = values.get(m.value) ?? [];
      else {
        list = [];
        for (const [value, ss] of values) if (m.matches(value)) for (const s of ss) list.push(s);
      }
      if (!best || list.length < best.length) best = list;
      if (best.length === 0) break;
    }
    return best;
  }
}

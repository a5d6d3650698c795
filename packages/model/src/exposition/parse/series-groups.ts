import type { Labels } from '../../labels.js';

/** A sample's series group: its labels without the one that varies inside the group (`le`, …). */
interface Group {
  readonly labels: Labels;
  readonly skip: string | undefined;
}

/**
 * Tracks the series groups of one OpenMetrics family — the samples that share labels apart
 * from `le`/`quantile`/the stateset label — to tell whether a sample continues the current
 * group, starts a new one, or returns to an earlier one (which OpenMetrics forbids). Groups are
 * remembered by a 32-bit hash of their labels, compared exactly on a hash match, so a family of
 * thousands of series costs no key strings.
 */
export class SeriesGroups {
  private current: Group | undefined;
  private readonly seen = new Map<number, Group[]>();

  reset(): void {
    this.current = undefined;
    this.seen.clear();
  }

  /** `'same'` (continues the current group), `'new'`, or `'repeat'` (an earlier group again). */
  enter(labels: Labels, skip: string | undefined): 'same' | 'new' | 'repeat' {
    const cur = this.current;
    if (cur !== undefined && sameGroup(cur.labels, cur.skip, labels, skip)) return 'same';
    const group = { labels, skip };
    this.current = group;
    const h = hashGroup(labels, skip);
    const list = this.seen.get(h);
    if (list === undefined) {
      this.seen.set(h, [group]);
      return 'new';
    }
    for (const g of list) if (sameGroup(g.labels, g.skip, labels, skip)) return 'repeat';
    list.push(group);
    return 'new';
  }
}

function sameGroup(a: Labels, skipA: string | undefined, b: Labels, skipB: string | undefined): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && a[i]!.name === skipA) i++;
    while (j < b.length && b[j]!.name === skipB) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a[i]!.name !== b[j]!.name || a[i]!.value !== b[j]!.value) return false;
    i++;
    j++;
  }
}

/** FNV-1a over names and values, with separators that cannot be confused with characters. */
function hashGroup(labels: Labels, skip: string | undefined): number {
  let h = 0x811c9dc5;
  for (const l of labels) {
    if (l.name === skip) continue;
    for (let k = 0; k < l.name.length; k++) h = Math.imul(h ^ l.name.charCodeAt(k), 0x01000193);
    h = Math.imul(h ^ 0x10000, 0x01000193);
    for (let k = 0; k < l.value.length; k++) h = Math.imul(h ^ l.value.charCodeAt(k), 0x01000193);
    h = Math.imul(h ^ 0x10001, 0x01000193);
  }
  return h;
}

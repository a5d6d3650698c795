import type { Label, Labels } from '../../labels.js';

/**
 * Labels from flat name/value pairs as parsed (`[n0, v0, n1, v1, …]`, names already checked
 * unique): empty values dropped (Prometheus treats them as absent), sorted by name — a sort
 * only when the input was not already in order, which exposition writers normally ensure.
 */
export function labelsFromParsedPairs(pairs: readonly string[], skip?: string): Labels {
  const out: Label[] = [];
  let sorted = true;
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i]!;
    const value = pairs[i + 1]!;
    if (value === '' || name === skip) continue;
    if (out.length > 0 && out[out.length - 1]!.name > name) sorted = false;
    out.push({ name, value });
  }
  if (!sorted) out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

/**
 * {@link labelsFromParsedPairs} for a stream of samples: a label equal to the one at the same
 * position of the previous sample is shared rather than allocated again (labels are immutable),
 * which keeps allocation — and the memory of the parsed families — down, as consecutive series
 * mostly repeat `instance`, `job`, `method`, ….
 */
export class LabelSetBuilder {
  private readonly previous: (Label | undefined)[] = [];

  build(pairs: readonly string[]): Labels {
    const out: Label[] = [];
    let sorted = true;
    for (let i = 0, k = 0; i < pairs.length; i += 2, k++) {
      const name = pairs[i]!;
      const value = pairs[i + 1]!;
      if (value === '') continue;
      let label = this.previous[k];
      if (label?.name !== name || label.value !== value) {
        label = { name, value };
        this.previous[k] = label;
      }
      if (out.length > 0 && out[out.length - 1]!.name > name) sorted = false;
      out.push(label);
    }
    if (!sorted) out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return out;
  }
}

/** Index of the value of `name` in flat pairs, or -1. */
export function pairIndex(pairs: readonly string[], name: string): number {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === name) return i + 1;
  return -1;
}

/**
 * Duplicate label-name detection for one sample: a scan for the usual handful of labels, a set
 * past 16, so a hostile line with thousands of labels stays linear.
 */
export class LabelNameIndex {
  private readonly names = new Set<string>();

  clear(): void {
    if (this.names.size > 0) this.names.clear();
  }

  /** Is `name` already among the names of `pairs`? */
  has(pairs: readonly string[], name: string): boolean {
    if (pairs.length < 32) {
      for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === name) return true;
      return false;
    }
    if (this.names.size === 0) for (let i = 0; i < pairs.length; i += 2) this.names.add(pairs[i]!);
    if (this.names.has(name)) return true;
    this.names.add(name);
    return false;
  }
}

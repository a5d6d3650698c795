import { formatLabels, type Labels, type MetricFamily, type MetricType } from '@tally/model';
import { expositionName } from './push-group.js';

/**
 * Where each family name is in use: name → (group id → type). It lets a push be checked
 * against every other group in time proportional to the push, not to the number of groups
 * (the Pushgateway re-gathers everything on each push and slows down as groups accumulate).
 */
export class FamilyIndex {
  private readonly byName = new Map<string, Map<string, MetricType>>();

  add(groupId: string, families: Iterable<MetricFamily>): void {
    for (const f of families) {
      const name = expositionName(f);
      let m = this.byName.get(name);
      if (!m) this.byName.set(name, (m = new Map<string, MetricType>()));
      m.set(groupId, f.type);
    }
  }

  remove(groupId: string, families: Iterable<MetricFamily>): void {
    for (const f of families) {
      const name = expositionName(f);
      const m = this.byName.get(name);
      if (!m) continue;
      m.delete(groupId);
      if (m.size === 0) this.byName.delete(name);
    }
  }

  /** A type some group other than `groupId` uses for `name`. */
  otherType(name: string, groupId: string, notType?: MetricType): MetricType | undefined {
    const m = this.byName.get(name);
    if (!m) return undefined;
    for (const [g, t] of m) if (g !== groupId && (notType === undefined || t !== notType)) return t;
    return undefined;
  }
}

const typeWord = (t: MetricType): string => (t === 'unknown' ? 'untyped' : t);

/**
 * client_golang's Gather checks as the Pushgateway applies them to the state after a push
 * (`storage.checkWriteRequest`): no family of the same name with another type in any group,
 * no histogram/summary `x` beside a family `x_count`/`x_sum` (and `x_bucket` for histograms),
 * no two samples of one family with the same labels, no timestamps. Returns the reason, or
 * undefined when the push is consistent. `after` is the group's families once the push is applied.
 */
export function checkPush(
  index: FamilyIndex,
  groupId: string,
  pushed: readonly MetricFamily[],
  after: ReadonlyMap<string, MetricFamily>,
): string | undefined {
  const typeOf = (name: string): MetricType | undefined =>
    after.get(name)?.type ?? index.otherType(name, groupId);
  for (const f of pushed) {
    const name = expositionName(f);
    for (const s of f.samples) {
      if (s.timestampMs !== undefined) return 'pushed metrics must not have timestamps';
    }
    const other = index.otherType(name, groupId, f.type);
    if (other !== undefined) {
      return `metric family ${name} is a ${typeWord(f.type)} here but a ${typeWord(other)} in another group`;
    }
    for (const suffix of ['_count', '_sum', '_bucket']) {
      if (!name.endsWith(suffix)) continue;
      const base = name.slice(0, -suffix.length);
      const t = typeOf(base);
      if (t === 'histogram' || (t === 'summary' && suffix !== '_bucket')) {
        return `collected metric named ${JSON.stringify(name)} collides with previously collected ${t} named ${JSON.stringify(base)}`;
      }
    }
    if (f.type === 'histogram' || f.type === 'summary') {
      for (const suffix of f.type === 'histogram' ? ['_count', '_sum', '_bucket'] : ['_count', '_sum']) {
        if (typeOf(name + suffix) !== undefined) {
          return `collected ${f.type} named ${JSON.stringify(name)} collides with previously collected metric named ${JSON.stringify(name + suffix)}`;
        }
      }
    }
  }
  return undefined;
}

/**
 * The first series that appears twice in a push (client_golang: "was collected before with the
 * same name and label values"), given each series' labels and `labelsKey`.
 */
export function duplicateSeries(series: readonly { labels: Labels; key?: string }[]): string | undefined {
  const seen = new Set<string>();
  for (const s of series) {
    const key = s.key!;
    if (seen.has(key))
      return `collected metric ${formatLabels(s.labels)} was pushed twice with the same name and label values`;
    seen.add(key);
  }
  return undefined;
}

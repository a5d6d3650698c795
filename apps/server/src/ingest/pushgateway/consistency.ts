import { formatLabels, type Labels, type MetricFamily, type MetricType } from '@tally/model';
import { expositionName } from './push-group.js';

/** The groups using one family name, and how many of them use each type. */
interface NameUse {
  readonly groups: Map<string, MetricType>;
  readonly typeCounts: Map<MetricType, number>;
}

/**
 * Where each family name is in use: name → (group id → type), with a count per type. It lets a
 * push be checked against every other group in time proportional to the push, not to the number
 * of groups (the Pushgateway re-gathers everything on each push and slows down as groups
 * accumulate): a lookup reads the few types in use, never the list of groups.
 */
export class FamilyIndex {
  private readonly byName = new Map<string, NameUse>();

  add(groupId: string, families: Iterable<MetricFamily>): void {
    for (const f of families) {
      const name = expositionName(f);
      let use = this.byName.get(name);
      if (!use) this.byName.set(name, (use = { groups: new Map(), typeCounts: new Map() }));
      const before = use.groups.get(groupId);
      if (before !== undefined) uncount(use, before);
      use.groups.set(groupId, f.type);
      use.typeCounts.set(f.type, (use.typeCounts.get(f.type) ?? 0) + 1);
    }
  }

  remove(groupId: string, families: Iterable<MetricFamily>): void {
    for (const f of families) {
      const name = expositionName(f);
      const use = this.byName.get(name);
      const type = use?.groups.get(groupId);
      if (!use || type === undefined) continue;
      use.groups.delete(groupId);
      uncount(use, type);
      if (use.groups.size === 0) this.byName.delete(name);
    }
  }

  /** A type some group other than `groupId` uses for `name` (other than `notType`, if given). */
  otherType(name: string, groupId: string, notType?: MetricType): MetricType | undefined {
    const use = this.byName.get(name);
    if (!use) return undefined;
    const own = use.groups.get(groupId);
    for (const [type, count] of use.typeCounts) {
      if (type === notType) continue;
      if (count > (own === type ? 1 : 0)) return type;
    }
    return undefined;
  }
}

function uncount(use: NameUse, type: MetricType): void {
  const n = (use.typeCounts.get(type) ?? 0) - 1;
  if (n > 0) use.typeCounts.set(type, n);
  else use.typeCounts.delete(type);
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

/** client_golang's refusal of a series pushed twice ("was collected before with the same name and label values"). */
export function duplicateMessage(labels: Labels): string {
  return `collected metric ${formatLabels(labels)} was pushed twice with the same name and label values`;
}

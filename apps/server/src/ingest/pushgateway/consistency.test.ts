import type { MetricFamily, MetricType } from '@tally/model';
import { describe, expect, it } from 'vitest';
import { checkPush, FamilyIndex } from './consistency.js';

const fam = (name: string, type: MetricType): MetricFamily => ({
  name,
  type,
  samples: [{ name, labels: [], value: 1 }],
});

describe('FamilyIndex', () => {
  it('finds the type other groups use, whatever the number of groups', () => {
    const index = new FamilyIndex();
    for (let g = 0; g < 1000; g++) index.add(`g${g}`, [fam('x', 'gauge')]);
    expect(index.otherType('x', 'g1')).toBe('gauge');
    expect(index.otherType('x', 'g1', 'gauge')).toBeUndefined();
    expect(index.otherType('x', 'new', 'counter')).toBe('gauge');
    expect(index.otherType('y', 'g1')).toBeUndefined();
  });

  it("does not count a group's own use of a name", () => {
    const index = new FamilyIndex();
    index.add('a', [fam('x', 'gauge')]);
    expect(index.otherType('x', 'a')).toBeUndefined();
    expect(index.otherType('x', 'b')).toBe('gauge');
    index.add('b', [fam('x', 'gauge')]);
    expect(index.otherType('x', 'a')).toBe('gauge');
  });

  it('forgets a name once no group uses it, and re-adding a group replaces its type', () => {
    const index = new FamilyIndex();
    index.add('a', [fam('x', 'gauge')]);
    index.add('b', [fam('x', 'gauge')]);
    index.remove('a', [fam('x', 'gauge')]);
    expect(index.otherType('x', 'c')).toBe('gauge');
    index.remove('b', [fam('x', 'gauge')]);
    expect(index.otherType('x', 'c')).toBeUndefined();
    index.add('a', [fam('x', 'gauge')]);
    index.add('a', [fam('x', 'counter')]);
    expect(index.otherType('x', 'c', 'counter')).toBeUndefined();
    expect(index.otherType('x', 'c')).toBe('counter');
    // Removing a group that never used the name changes nothing.
    index.remove('zz', [fam('x', 'counter')]);
    expect(index.otherType('x', 'c')).toBe('counter');
  });

  it('refuses a type conflict with another group through checkPush', () => {
    const index = new FamilyIndex();
    index.add('a', [fam('x', 'gauge')]);
    const pushed = [fam('x', 'counter')];
    expect(checkPush(index, 'b', pushed, new Map([['x', pushed[0]!]]))).toBe(
      'metric family x is a counter here but a gauge in another group',
    );
    // The group that owns the gauge may change its own type.
    expect(checkPush(index, 'a', pushed, new Map([['x', pushed[0]!]]))).toBeUndefined();
  });
});

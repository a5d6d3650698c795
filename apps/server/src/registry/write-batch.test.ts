import { describe, expect, it } from 'vitest';
import { WriteBatch } from './write-batch.js';

/** A fake database: `committed` holds what committed transactions wrote, in order. */
function fakeDb(failOn?: (item: string) => boolean) {
  const committed: string[] = [];
  const transactions: string[][] = [];
  let open: string[] | undefined;
  const batch = new WriteBatch<string>(
    (item) => {
      if (failOn?.(item)) throw new Error(`cannot write ${item}`);
      open!.push(item);
    },
    (fn) => {
      open = [];
      try {
        fn();
        committed.push(...open);
        transactions.push(open);
      } finally {
        open = undefined;
      }
    },
  );
  return { batch, committed, transactions };
}

describe('WriteBatch', () => {
  it('commits the writes of one turn in one transaction, and resolves only after the commit', async () => {
    const { batch, committed, transactions } = fakeDb();
    const settled: string[] = [];
    const writes = ['a', 'b', 'c'].map((x) => batch.write(x).then(() => settled.push(x)));
    await Promise.resolve();
    expect(committed).toEqual([]);
    expect(settled).toEqual([]);
    await Promise.all(writes);
    expect(transactions).toEqual([['a', 'b', 'c']]);
    expect(settled).toEqual(['a', 'b', 'c']);
    await batch.write('d');
    expect(transactions).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('flush writes what is queued at once, so a later operation sees it', async () => {
    const { batch, committed } = fakeDb();
    const w = batch.write('a');
    batch.flush();
    expect(committed).toEqual(['a']);
    await w;
    batch.flush(); // nothing queued: no empty transaction
    expect(committed).toEqual(['a']);
  });

  it('a failing write fails alone: the others of its turn are committed and resolve', async () => {
    const { batch, committed } = fakeDb((x) => x === 'bad');
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((x) => batch.write(x)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('cannot write bad'));
    expect(committed).toEqual(['a', 'c']);
  });
});

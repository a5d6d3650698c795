import { describe, expect, it } from 'vitest';
import { labelsFromRecord, labelsKey } from '@tally/model';
import { Matcher } from '@tally/storage';
import { readAll } from '@tally/storage/conformance';
import { openTsdb } from '../src/index.js';
import { testDir } from './test-dir.js';

const loss = labelsFromRecord({ __name__: 'train_loss', job: 'run-7' });
const acc = labelsFromRecord({ __name__: 'train_acc', job: 'run-7' });

describe('append with a precomputed key', () => {
  it('files the series under the same key as append without one, live and after replay', async () => {
    const dir = await testDir();
    const db = await openTsdb({ dir, autoCompact: false });
    const app = db.appender();
    const ref = app.append(loss, 1000, 0.5, labelsKey(loss));
    expect(app.append(loss, 2000, 0.4)).toBe(ref);
    const other = app.append(acc, 1000, 0.9, labelsKey(acc));
    expect(other).not.toBe(ref);
    await app.commit();
    const next = db.appender();
    expect(next.append(loss, 3000, 0.3, labelsKey(loss))).toBe(ref);
    expect(next.append(acc, 2000, 0.95)).toBe(other);
    await next.commit();
    const expected = {
      '__name__=train_acc,job=run-7': [
        [1000, 0.9],
        [2000, 0.95],
      ],
      '__name__=train_loss,job=run-7': [
        [1000, 0.5],
        [2000, 0.4],
        [3000, 0.3],
      ],
    };
    const all = [new Matcher('=', 'job', 'run-7')];
    expect(await readAll(db, all)).toEqual(expected);
    await db.close();
    const reopened = await openTsdb({ dir, autoCompact: false });
    expect(await readAll(reopened, all)).toEqual(expected);
    await reopened.close();
  });
});

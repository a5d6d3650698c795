import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelsFromRecord, labelsKey } from '@tally/model';
import { Matcher, MemoryStorage } from '@tally/storage';
import { tempDir } from '../../../../test-support/peers.js';
import { resolveServeConfig } from '../../src/config/serve-config.js';
import { DeletionCoordinator } from '../../src/storage/remote/deletion-coordinator.js';
import { engineDeleter, engineDeletesRanges } from '../../src/storage/remote/engine-deleter.js';
import type { RemoteEngine } from '../../src/storage/remote/remote-engine.js';
import { RemoteHttpClient } from '../../src/storage/remote/remote-http-client.js';
import { RemoteWriteQueue } from '../../src/storage/remote/remote-write-queue.js';
import { TeeStorage } from '../../src/storage/remote/tee-storage.js';
import { startFakeEngine, type FakeEngine } from './fake-engine.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(fn: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function engine(): Promise<FakeEngine> {
  const e = await startFakeEngine();
  cleanups.push(() => e.close());
  return e;
}

function queueDir(): string {
  const d = tempDir('forward-delete');
  cleanups.push(() => d.remove());
  return d.path;
}

interface Opened {
  tee: TeeStorage;
  logs: string[];
  close(): Promise<void>;
}

/** Forwarding mode as `--forward-write-url` builds it, over an in-memory primary. */
function openTee(dir: string, e: FakeEngine, engineName: RemoteEngine = 'victoriametrics'): Opened {
  const client = new RemoteHttpClient();
  const deleter = engineDeleter(engineName, e.url, client);
  const logs: string[] = [];
  const log = (_level: string, msg: string): void => void logs.push(msg);
  const queue = new RemoteWriteQueue({
    dir,
    writeUrl: e.writeUrl,
    client,
    minBackoffMs: 5,
    maxBackoffMs: 40,
    log,
    ...(deleter ? { deleteSeries: deleter } : {}),
  });
  const tee = new TeeStorage(
    new MemoryStorage(),
    queue,
    client,
    log,
    deleter ? { ranged: engineDeletesRanges(engineName) } : undefined,
  );
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await tee.close();
  };
  cleanups.push(close);
  return { tee, logs, close };
}

const JOBS = ['gone', 'keep'];
/** One commit: `series` series per job (spread over the shards), one sample each at `t`. */
async function commit(tee: TeeStorage, t: number, jobs = JOBS, series = 8): Promise<void> {
  const app = tee.appender();
  for (const job of jobs)
    for (let i = 0; i < series; i++) app.append(labelsFromRecord({ __name__: 'm', job, i: String(i) }), t, t);
  await app.commit();
}

const key = (job: string, i: number): string =>
  labelsKey(labelsFromRecord({ __name__: 'm', i: String(i), job }));
const deleteEvents = (e: FakeEngine) => e.events.filter((ev) => ev.kind === 'delete');

describe('forwarding mode: deleting a job deletes the forwarded copy, in order', () => {
  it('the engine deletes after every sample committed before the deletion and before any committed after', async () => {
    const e = await engine();
    const { tee } = openTee(queueDir(), e);
    for (let t = 1; t <= 5; t++) await commit(tee, t);
    await tee.deleteSeries([new Matcher('=', 'job', 'gone')]);
    for (let t = 6; t <= 8; t++) await commit(tee, t);
    await until(() => tee.queueStats().pendingSamples === 0 && tee.queueStats().pendingDeletions === 0);
    const at = e.events.findIndex((ev) => ev.kind === 'delete');
    expect(deleteEvents(e)).toEqual([{ kind: 'delete', match: '{job="gone"}', start: null }]);
    const before = e.events.slice(0, at).filter((ev) => ev.kind === 'write');
    const after = e.events.slice(at + 1).filter((ev) => ev.kind === 'write');
    expect(before.length).toBe(5 * 16);
    expect(before.every((ev) => ev.t <= 5)).toBe(true);
    expect(after.length).toBe(3 * 16);
    expect(after.every((ev) => ev.t >= 6)).toBe(true);
    // What stays in the engine: the kept job whole, the deleted one only from after its deletion.
    expect(e.series.get(key('keep', 3))?.t).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(e.series.get(key('gone', 3))?.t).toEqual([6, 7, 8]);
    // Locally it is gone at once.
    const local = await tee.querier(0, 10).select([new Matcher('=', 'job', 'gone')]);
    for (const s of local) {
      const it = s.iterator();
      while (it.next()) expect(it.t).toBeGreaterThanOrEqual(6);
    }
  });

  it('a deletion during an outage waits, counted on the queue, and happens once the engine is back', async () => {
    const e = await engine();
    const { tee } = openTee(queueDir(), e);
    await commit(tee, 1);
    await until(() => tee.queueStats().pendingSamples === 0);
    e.down = true;
    await commit(tee, 2);
    await tee.deleteSeries([new Matcher('=', 'job', 'gone')]); // resolves: queued durably
    await commit(tee, 3, ['keep']);
    expect(tee.queueStats().pendingDeletions).toBe(1);
    await until(() => tee.queueStats().retries > 2);
    expect(deleteEvents(e)).toEqual([]);
    e.down = false;
    await until(() => tee.queueStats().pendingDeletions === 0 && tee.queueStats().pendingSamples === 0);
    expect(deleteEvents(e)).toHaveLength(1);
    expect([...e.series.values()].filter((s) => s.labels.job === 'gone')).toEqual([]);
    expect(e.series.get(key('keep', 0))?.t).toEqual([1, 2, 3]);
  });

  it('survives a restart: the queued deletion and the samples before it are carried out by the next process', async () => {
    const e = await engine();
    const dir = queueDir();
    e.down = true;
    const first = openTee(dir, e);
    await commit(first.tee, 1);
    await first.tee.deleteSeries([new Matcher('=', 'job', 'gone')]);
    await commit(first.tee, 2, ['keep']);
    await first.close();
    const second = openTee(dir, e);
    expect(second.tee.queueStats().pendingDeletions).toBe(1);
    e.down = false;
    await until(
      () => second.tee.queueStats().pendingDeletions === 0 && second.tee.queueStats().pendingSamples === 0,
    );
    expect(deleteEvents(e)).toHaveLength(1);
    expect(e.events.findIndex((ev) => ev.kind === 'delete')).toBe(16); // after the 16 samples of t=1
    expect(e.series.get(key('keep', 0))?.t).toEqual([1, 2]);
    expect(e.series.has(key('gone', 0))).toBe(false);
    // Numbering goes on from the last deletion: the next one is id 2.
    await second.tee.deleteSeries([new Matcher('=', 'job', 'keep')]);
    await until(() => second.tee.queueStats().pendingDeletions === 0);
    expect(readFileSync(join(dir, 'deletions-done'), 'utf8')).toBe('2\n');
    expect(deleteEvents(e).map((ev) => ev.kind === 'delete' && ev.match)).toEqual([
      '{job="gone"}',
      '{job="keep"}',
    ]);
  });

  it('a deletion the engine refuses for good is counted and the queue goes on', async () => {
    const e = await engine();
    e.deleteAnswer = { status: 400, body: 'bad match[]' };
    const { tee, logs } = openTee(queueDir(), e);
    await tee.deleteSeries([new Matcher('=', 'job', 'gone')]);
    await commit(tee, 1);
    await until(() => tee.queueStats().pendingSamples === 0 && tee.queueStats().pendingDeletions === 0);
    expect(tee.queueStats().refusedDeletions).toBe(1);
    expect(logs.some((l) => l.includes('refused a deletion for good'))).toBe(true);
  });

  it("Prometheus without --web.enable-admin-api (503 'admin APIs disabled') is refused, not retried forever", async () => {
    const e = await engine();
    e.deleteAnswer = {
      status: 503,
      body: '{"status":"error","errorType":"unavailable","error":"admin APIs disabled"}',
    };
    const { tee } = openTee(queueDir(), e, 'prometheus');
    await tee.deleteSeries([new Matcher('=', 'job', 'gone')]);
    await until(() => tee.queueStats().pendingDeletions === 0);
    expect(tee.queueStats().refusedDeletions).toBe(1);
  });

  it('ranged deletions go to engines whose API takes a range (Prometheus) and not to VictoriaMetrics', async () => {
    const e = await engine();
    const prom = openTee(queueDir(), e, 'prometheus');
    await prom.tee.deleteSeries([new Matcher('=', 'job', 'gone')], 0, 5000);
    await until(() => prom.tee.queueStats().pendingDeletions === 0);
    expect(deleteEvents(e)).toEqual([{ kind: 'delete', match: '{job="gone"}', start: expect.any(String) }]);
    const vm = openTee(queueDir(), e, 'victoriametrics');
    await vm.tee.deleteSeries([new Matcher('=', 'job', 'gone')], 0, 5000);
    expect(vm.tee.queueStats().pendingDeletions).toBe(0);
    expect(vm.logs.some((l) => l.includes('deletes whole series only'))).toBe(true);
  });

  it('engines without a delete-series API (Mimir, Cortex, Thanos) keep the copy, and say so', async () => {
    const e = await engine();
    const { tee, logs } = openTee(queueDir(), e, 'mimir');
    await commit(tee, 1);
    await tee.deleteSeries([new Matcher('=', 'job', 'gone')]);
    expect(tee.queueStats().pendingDeletions).toBe(0);
    expect(logs.some((l) => l.includes('no delete-series API'))).toBe(true);
  });
});

describe('DeletionCoordinator', () => {
  it('runs a deletion once every shard has reached it, and at once for one already done', async () => {
    const dir = queueDir();
    let runs = 0;
    const make = (): DeletionCoordinator =>
      new DeletionCoordinator({
        dir,
        shardCount: 3,
        execute: () => {
          runs++;
          return Promise.resolve({ outcome: 'done' });
        },
        minBackoffMs: 1,
        maxBackoffMs: 1,
        onRetry: () => undefined,
        onRefused: () => undefined,
      });
    const c = make();
    const d = { id: 1, selector: '{job="x"}' };
    const a = c.arrive(0, d);
    const b = c.arrive(2, d);
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(0);
    expect(await Promise.all([a, b, c.arrive(1, d)])).toEqual([true, true, true]);
    expect(runs).toBe(1);
    // After a crash some shards may already have passed id 1: the others go on without waiting.
    const restarted = make();
    expect(restarted.lastDone).toBe(1);
    expect(await restarted.arrive(1, d)).toBe(true);
    expect(runs).toBe(1);
  });

  it('releases waiting shards with false on close', async () => {
    const c = new DeletionCoordinator({
      dir: queueDir(),
      shardCount: 2,
      execute: () => Promise.resolve({ outcome: 'done' }),
      minBackoffMs: 1,
      maxBackoffMs: 1,
      onRetry: () => undefined,
      onRefused: () => undefined,
    });
    const waiting = c.arrive(0, { id: 1, selector: '{}' });
    c.close();
    expect(await waiting).toBe(false);
  });
});

describe('--forward-query-url', () => {
  it('defaults to the write URL without /api/v1/write, and needs --forward-write-url', () => {
    const forward = (argv: string[]) => resolveServeConfig(argv).beyond.forward;
    expect(forward(['--forward-write-url', 'http://vm:8428/api/v1/write'])?.queryUrl).toBe('http://vm:8428');
    expect(
      forward([
        '--forward-write-url',
        'http://vminsert:8480/insert/0/prometheus/api/v1/write',
        '--forward-query-url',
        'http://vmselect:8481/select/0/prometheus',
      ])?.queryUrl,
    ).toBe('http://vmselect:8481/select/0/prometheus');
    expect(forward(['--forward-write-url', 'http://mimir/api/v1/push'])?.queryUrl).toBeUndefined();
    expect(() => resolveServeConfig(['--forward-query-url', 'http://vm:8428'])).toThrow(
      /--forward-query-url: only used with --forward-write-url/,
    );
  });
});

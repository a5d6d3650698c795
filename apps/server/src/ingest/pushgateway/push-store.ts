import type { ExposedSample, MetricFamily, SeriesTextCache } from '@tally/model';
import { HttpError } from '../../http/http-error.js';
import type { Registry, StoredGroup } from '../../registry/registry.js';
import type { MetricMetadata } from '../../jobs/metric-metadata.js';
import type { Logger } from '../../log/logger.js';
import type { IngestRequest, IngestSeries, Ingester } from '../ingester.js';
import { checkPush, duplicateMessage, FamilyIndex } from './consistency.js';
import { groupingKeyId, type GroupingKey } from './grouping-key.js';
import { parsePushBody } from './parse-push-body.js';
import {
  deserializeFamilies,
  expositionName,
  sanitizeFamily,
  serializeFamilies,
  type PushGroup,
} from './push-group.js';
import { GroupSeries, groupingLabels, JobTextCaches, type PushSeries } from './push-series.js';

/** A push's request body as received (after decompression), kept as the durable form of a PUT. */
export interface RawPush {
  readonly body: Buffer;
  readonly contentType: string | undefined;
}

/**
 * The Pushgateway's state — the last push of every group — kept in memory for `GET /metrics`,
 * persisted in the registry on every change (so it survives a restart, unlike the Pushgateway's
 * periodic persistence file), and every push also written to storage as history.
 */
export class PushStore {
  readonly groups = new Map<string, PushGroup>();
  private readonly index = new FamilyIndex();
  /** Each group's series, remembered between its pushes (see GroupSeries). */
  private readonly series = new Map<string, GroupSeries>();
  /** Each job's parser cache, shared by its groups. */
  private readonly texts = new JobTextCaches();

  constructor(
    private readonly registry: Registry,
    private readonly ingester: Ingester,
    private readonly log: Logger,
  ) {}

  /**
   * Installs a group as the registry stores it: at start-up, and when another instance sharing
   * the registry changed it (unless the group here is newer: the last push wins).
   */
  applyStored(g: StoredGroup): void {
    const old = this.groups.get(g.groupKey);
    if (old && Math.max(old.pushTimeMs, old.failureTimeMs) > Math.max(g.pushTimeMs, g.failureTimeMs)) return;
    let families: MetricFamily[];
    try {
      families =
        g.body === null
          ? deserializeFamilies(g.familiesJson)
          : parsePushBody(g.body, g.contentType ?? undefined, Infinity).map((f) =>
              sanitizeFamily(f, g.labels),
            );
    } catch (err) {
      this.log.error('cannot read a stored push group; it is skipped', { group: g.groupKey, err });
      return;
    }
    if (old) this.index.remove(old.id, old.families.values());
    const group: PushGroup = {
      id: g.groupKey,
      jobId: g.jobId,
      labels: g.labels,
      families: new Map(families.map((f) => [expositionName(f), f])),
      pushTimeMs: g.pushTimeMs,
      failureTimeMs: g.failureTimeMs,
    };
    this.groups.set(group.id, group);
    this.index.add(group.id, group.families.values());
  }

  /** Forgets one group here only (another instance deleted it from the registry). */
  forgetGroup(id: string): void {
    const old = this.groups.get(id);
    if (!old) return;
    this.index.remove(id, old.families.values());
    this.groups.delete(id);
    this.series.delete(id);
  }

  /** The text parser's cache for the next body of the group `key`, once the group exists. */
  textCacheFor(key: GroupingKey): SeriesTextCache | undefined {
    return this.series.get(groupingKeyId(key))?.text ?? this.texts.forNewGroup(key.job!);
  }

  /**
   * A PUT (`replace`: the group becomes exactly these families) or POST (same-named families
   * are replaced, others kept). Refused pushes leave the group as it was but set its
   * `push_failure_time_seconds`, as the Pushgateway does. `parsedWith`: the cache the body was
   * parsed with ({@link textCacheFor}), if any.
   */
  async push(
    key: GroupingKey,
    pushed: readonly MetricFamily[],
    replace: boolean,
    {
      raw,
      parsedWith,
      nowMs = Date.now(),
    }: { raw?: RawPush; parsedWith?: SeriesTextCache; nowMs?: number } = {},
  ): Promise<void> {
    const id = groupingKeyId(key);
    const jobId = key.job!;
    const known = this.series.get(id);
    if (!known) this.texts.parsedNewGroup(jobId, parsedWith);
    const cache = known ?? new GroupSeries(groupingLabels(key), this.texts.of(jobId));
    const parsedHere = parsedWith !== undefined && parsedWith === cache.text;
    const pushNo = cache.nextPush();
    const families: MetricFamily[] = [];
    const resolved: PushSeries[] = [];
    const series: IngestSeries[] = [];
    const metadata: [string, MetricMetadata][] = [];
    const timestampsMs = [nowMs];
    let duplicate: PushSeries | undefined;
    for (const f of pushed) {
      metadata.push([f.name, { type: f.type, help: f.help ?? '', unit: f.unit ?? '' }]);
      const samples: ExposedSample[] = [];
      for (const s of f.samples) {
        const ps = cache.resolve(s, parsedHere);
        samples.push(
          s.timestampMs === undefined && s.exemplar === undefined
            ? { name: s.name, labels: ps.labels, value: s.value }
            : { ...s, labels: ps.labels },
        );
        if (ps.seenIn === pushNo) duplicate ??= ps;
        ps.seenIn = pushNo;
        resolved.push(ps);
        series.push({
          labels: ps.storageLabels,
          key: ps.key,
          labelsChecked: ps.checked,
          stat: ps.stat ?? null,
          timestampsMs,
          values: [s.value],
        });
      }
      families.push({ ...f, samples });
    }
    const old = this.groups.get(id);
    const after = new Map<string, MetricFamily>(replace || !old ? [] : old.families);
    for (const f of families) after.set(expositionName(f), f);

    const request: IngestRequest = {
      jobId,
      series,
      metadata,
      serverTimestamps: true,
      source: 'push',
      plain: true,
    };
    this.ingester.check(request, nowMs);
    for (const ps of resolved) ps.checked = true;

    const problem =
      duplicate === undefined
        ? checkPush(this.index, id, families, after)
        : duplicateMessage(duplicate.storageLabels);
    if (problem !== undefined) {
      const group = old ?? {
        id,
        jobId,
        labels: key,
        families: new Map<string, MetricFamily>(),
        pushTimeMs: 0,
        failureTimeMs: 0,
      };
      group.failureTimeMs = nowMs;
      this.groups.set(id, group);
      if (!old || !(await this.registry.saveGroupFailure(id, nowMs))) await this.persist(group);
      throw new HttpError(
        400,
        'bad_data',
        `pushed metrics are invalid or inconsistent with existing metrics: ${problem}`,
        {},
        true,
      );
    }
    const group = old ?? {
      id,
      jobId,
      labels: key,
      families: new Map<string, MetricFamily>(),
      pushTimeMs: 0,
      failureTimeMs: 0,
    };
    if (old) this.index.remove(id, old.families.values());
    group.families = after;
    group.pushTimeMs = nowMs;
    this.index.add(id, after.values());
    this.groups.set(id, group);
    // A group's series are remembered from its second push on: many groups are pushed once
    // (a grouping key per step), and remembering those would only cost memory.
    if (!known && old) this.series.set(id, cache);
    cache.trim(series.length);
    // The ingest appends and logs synchronously, then waits for the WAL's fsync: the group is
    // persisted while that fsync runs, and the push is acknowledged only once both are durable.
    const written = this.ingester.ingest(request, nowMs, true);
    // The ingest has recorded every series (synchronously, before its commit): their stats
    // entries are kept for the group's next push.
    for (let i = 0; i < resolved.length; i++) resolved[i]!.stat = series[i]!.stat ?? undefined;
    // A PUT's group is exactly what its body says: storing the body is a copy, not an encoding.
    await Promise.all([written, this.persist(group, replace ? raw : undefined)]);
  }

  /** DELETE of a group: its last-push state goes; its history stays with the job. */
  async delete(key: GroupingKey): Promise<void> {
    const id = groupingKeyId(key);
    if (!this.groups.has(id)) return;
    this.forgetGroup(id);
    await this.registry.deleteGroup(id);
  }

  /** Forgets every group of a job (the job is being deleted). */
  forgetJob(jobId: string): void {
    for (const g of [...this.groups.values()]) {
      if (g.jobId !== jobId) continue;
      this.index.remove(g.id, g.families.values());
      this.groups.delete(g.id);
      this.series.delete(g.id);
    }
    this.texts.forget(jobId);
  }

  async wipe(): Promise<void> {
    for (const g of this.groups.values()) this.index.remove(g.id, g.families.values());
    this.groups.clear();
    this.series.clear();
    this.texts.clear();
    await this.registry.wipeGroups();
    this.log.info('all push groups wiped');
  }

  private persist(g: PushGroup, raw?: RawPush): Promise<void> {
    return this.registry.saveGroup({
      groupKey: g.id,
      jobId: g.jobId,
      labels: { ...g.labels },
      familiesJson: raw ? '' : serializeFamilies(g.families.values()),
      body: raw ? raw.body : null,
      contentType: raw?.contentType ?? null,
      pushTimeMs: g.pushTimeMs,
      failureTimeMs: g.failureTimeMs,
    });
  }
}

import { createSocket } from 'node:dgram';
import { labelsFromRecord, parseStatsdPacket } from '@tally/model';
import { HttpError } from '../../http/http-error.js';
import { declarableNames } from '../../jobs/metric-metadata.js';
import { seriesProblem } from '../../limits/check-series.js';
import type { ServerParts } from '../../server.js';
import { StatsdAggregator, statsdKey } from './statsd-aggregator.js';
import { statsdMetricName } from './statsd-name.js';

/** Series a histogram adds to storage: one per bucket, +Inf, _sum and _count. */
const HISTOGRAM_SERIES = 14;

/**
 * The StatsD/DogStatsD UDP listener: parses each datagram with `@tally/model`'s parser,
 * attributes every event to a job (the `job` tag, else gradient-statsd's `container_name`),
 * aggregates, and flushes to storage every `--statsd-flush-interval`. Lines that are malformed
 * or cannot be attributed are refused and counted by reason on /metrics; nothing a client
 * sends can stop the listener. Resolves with the bound port.
 */
export async function startStatsdIngest(parts: ServerParts): Promise<number> {
  const { config, jobs, ingester, metrics, log } = parts;
  const listen = config.statsdListen!;
  const agg = new StatsdAggregator();
  jobs.onDelete.push((jobId) => agg.forgetJob(jobId));
  const refuse = (reason: string, n = 1): void => metrics.statsdLinesRefused.inc({ reason }, n);

  const handlePacket = (packet: Buffer): void => {
    metrics.statsdPackets.inc();
    const nowMs = Date.now();
    const parsed = parseStatsdPacket(packet);
    let lines = 0;
    for (let i = 0; i < packet.length; i++) if (packet[i] === 10) lines++;
    if (packet.length > 0 && packet[packet.length - 1] !== 10) lines++;
    metrics.statsdLines.inc({}, lines);
    for (const e of parsed.errors) if (e.kind === 'sample') refuse(`malformed_${e.reason}`);
    for (const ev of parsed.events) {
      const { job: jobTag, container_name: container, ...rest } = ev.labels;
      const jobId = jobTag ?? container;
      if (jobId === undefined) {
        refuse('unattributed');
        continue;
      }
      const name = statsdMetricName(ev.name);
      if (name === undefined) {
        refuse('invalid_name');
        continue;
      }
      let job;
      try {
        job = jobs.resolveForIngest(jobId, nowMs);
      } catch (err) {
        refuse(err instanceof HttpError && err.status === 404 ? 'unknown_job' : 'invalid_job');
        continue;
      }
      if (job.strict && !declarableNames(name).some((n) => job.declaredMetrics.includes(n))) {
        refuse('strict');
        continue;
      }
      const labelRecord = { ...rest, job: jobId };
      const labels = labelsFromRecord({ ...labelRecord, __name__: name });
      const key = statsdKey(name, labels);
      const kind = ev.type === 'observer' ? 'histogram' : ev.type;
      const existing = agg.kindOf(jobId, name);
      if (existing !== undefined && existing !== kind) {
        refuse('type_conflict');
        continue;
      }
      if (!agg.has(jobId, key)) {
        if (seriesProblem(labels, config.limits) !== undefined) {
          refuse('limit');
          continue;
        }
        const adds = kind === 'histogram' ? HISTOGRAM_SERIES : 1;
        if (jobs.statsOf(jobId).seriesCount + agg.seriesOf(jobId) + adds > config.limits.maxSeriesPerJob) {
          refuse('limit');
          continue;
        }
      }
      agg.apply(jobId, key, name, labelRecord, ev, nowMs);
    }
  };

  let flushing = Promise.resolve();
  const flush = async (): Promise<void> => {
    const nowMs = Date.now();
    for (const [jobId, batch] of agg.flush(nowMs, config.statsdSeriesTtlMs)) {
      try {
        await ingester.ingest(
          { jobId, series: batch.series, metadata: batch.metadata, serverTimestamps: true, source: 'statsd' },
          nowMs,
        );
      } catch (err) {
        log.warn('StatsD flush refused for a job', { job: jobId, err });
      }
    }
  };
  const timer = setInterval(() => {
    flushing = flushing.then(flush);
  }, config.statsdFlushIntervalMs);
  timer.unref();

  const socket = createSocket({
    type: listen.host.includes(':') ? 'udp6' : 'udp4',
    recvBufferSize: 16 << 20,
  });
  socket.on('message', (msg) => {
    try {
      handlePacket(msg);
    } catch (err) {
      refuse('internal');
      log.error('StatsD packet handling failed', { err });
    }
  });
  socket.on('error', (err) => log.error('StatsD socket error', { err }));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(listen.port, listen.host, () => resolve());
  });
  parts.stoppers.push(async () => {
    clearInterval(timer);
    socket.close();
    await flushing;
    await flush();
  });
  return socket.address().port;
}

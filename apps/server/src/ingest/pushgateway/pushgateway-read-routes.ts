import {
  labelsFromRecord,
  negotiateExposition,
  writeOpenMetrics,
  writePrometheusText,
  type MetricFamily,
} from '@tally/model';
import { requireRead } from '../../auth/auth.js';
import { formatGoFloat } from '../../http/go-float.js';
import { sendJson, sendText } from '../../http/respond.js';
import type { ServerParts } from '../../server.js';
import type { PushGroup } from './push-group.js';
import type { PushStore } from './push-store.js';

const PUSH_TIME_HELP = 'Last Unix time when changing this group in the Pushgateway succeeded.';
const PUSH_FAILURE_HELP = 'Last Unix time when changing this group in the Pushgateway failed.';

/** Every group's families merged by name, plus push_time_seconds / push_failure_time_seconds. */
export function mergedFamilies(groups: Iterable<PushGroup>): MetricFamily[] {
  const merged = new Map<
    string,
    {
      type: MetricFamily['type'];
      help: string | undefined;
      name: string;
      samples: MetricFamily['samples'][number][];
    }
  >();
  const pushTime: MetricFamily['samples'][number][] = [];
  const failTime: MetricFamily['samples'][number][] = [];
  const sorted = [...groups].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const g of sorted) {
    for (const [key, f] of g.families) {
      let m = merged.get(key);
      if (!m) merged.set(key, (m = { type: f.type, help: f.help, name: f.name, samples: [] }));
      // Pushgateway: when help strings differ between groups, the later one wins.
      if (f.help !== undefined) m.help = f.help;
      for (const s of f.samples) m.samples.push(s);
    }
    const labels = labelsFromRecord(g.labels);
    pushTime.push({ name: 'push_time_seconds', labels, value: g.pushTimeMs / 1000 });
    failTime.push({ name: 'push_failure_time_seconds', labels, value: g.failureTimeMs / 1000 });
  }
  const out: MetricFamily[] = [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, m]) => ({
      name: m.name,
      type: m.type,
      ...(m.help === undefined ? {} : { help: m.help }),
      samples: m.samples,
    }));
  if (pushTime.length > 0) {
    out.push({
      name: 'push_failure_time_seconds',
      type: 'gauge',
      help: PUSH_FAILURE_HELP,
      samples: failTime,
    });
    out.push({ name: 'push_time_seconds', type: 'gauge', help: PUSH_TIME_HELP, samples: pushTime });
  }
  return out;
}

const PGW_TYPES: Record<string, string> = {
  counter: 'COUNTER',
  gauge: 'GAUGE',
  summary: 'SUMMARY',
  histogram: 'HISTOGRAM',
  gaugehistogram: 'GAUGE_HISTOGRAM',
  unknown: 'UNTYPED',
  info: 'GAUGE',
  stateset: 'GAUGE',
};

function familyJson(f: MetricFamily, timeMs: number): Record<string, unknown> {
  return {
    time_stamp: new Date(timeMs).toISOString(),
    type: PGW_TYPES[f.type] ?? 'UNTYPED',
    help: f.help ?? '',
    metrics: f.samples.map((s) => ({
      labels: Object.fromEntries(s.labels.map((l) => [l.name, l.value])),
      ...(s.name === f.name || s.name === `${f.name}_total` ? {} : { name: s.name }),
      value: formatGoFloat(s.value),
    })),
  };
}

/** `GET /metrics` (what Prometheus scrapes with honor_labels), `GET /api/v1/metrics`, `GET /api/v1/status`. */
export function addPushgatewayReadRoutes(parts: ServerParts, store: PushStore): void {
  const { router, metrics } = parts;
  const startTime = new Date().toISOString();
  router.add('GET', '/metrics', (ctx) => {
    requireRead(parts.principal(ctx));
    const families = [...mergedFamilies(store.groups.values()), ...metrics.families()];
    const negotiated = negotiateExposition(ctx.req.headers.accept);
    const write = negotiated.format === 'openmetrics' ? writeOpenMetrics : writePrometheusText;
    sendText(ctx.res, 200, write(families), negotiated.contentType);
  });
  router.add('GET', '/api/v1/metrics', (ctx) => {
    requireRead(parts.principal(ctx));
    const data = [...store.groups.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((g) => {
        const entry: Record<string, unknown> = {
          labels: { ...g.labels, ...('instance' in g.labels ? {} : { instance: '' }) },
          last_push_successful: g.failureTimeMs <= g.pushTimeMs,
        };
        for (const [name, f] of g.families) entry[name] = familyJson(f, g.pushTimeMs);
        const labels = labelsFromRecord(g.labels);
        entry.push_time_seconds = familyJson(
          {
            name: 'push_time_seconds',
            type: 'gauge',
            help: PUSH_TIME_HELP,
            samples: [{ name: 'push_time_seconds', labels, value: g.pushTimeMs / 1000 }],
          },
          g.pushTimeMs,
        );
        entry.push_failure_time_seconds = familyJson(
          {
            name: 'push_failure_time_seconds',
            type: 'gauge',
            help: PUSH_FAILURE_HELP,
            samples: [{ name: 'push_failure_time_seconds', labels, value: g.failureTimeMs / 1000 }],
          },
          g.failureTimeMs,
        );
        return entry;
      });
    sendJson(ctx.res, 200, { status: 'success', data });
  });
  router.add('GET', '/api/v1/status', (ctx) => {
    requireRead(parts.principal(ctx));
    const flags: Record<string, string> = {
      'web.listen-address': `${parts.config.listen.host}:${parts.config.listen.port}`,
      'data-dir': parts.config.dataDir,
      storage: parts.config.storage,
    };
    sendJson(ctx.res, 200, {
      status: 'success',
      data: { build_information: buildInfo(), flags, start_time: startTime },
    });
  });
}

export function buildInfo(): Record<string, string> {
  return {
    version: '0.1.0',
    revision: 'unknown',
    branch: 'main',
    buildUser: 'tally',
    buildDate: '',
    goVersion: `node ${process.versions.node}`,
  };
}

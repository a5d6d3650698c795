/** The engines Tally can store into, and what each one's API can do (README: "Deploying beyond one machine"). */
export type RemoteEngine = 'victoriametrics' | 'prometheus' | 'mimir' | 'cortex' | 'thanos' | 'generic';

export const REMOTE_ENGINES: readonly RemoteEngine[] = [
  'victoriametrics',
  'prometheus',
  'mimir',
  'cortex',
  'thanos',
  'generic',
];

export interface EngineProfile {
  /** Path (under the query URL) of the delete-series API, if the engine has one. */
  readonly deletePath: string | undefined;
  /** Whether that API takes a time range (`start`/`end`) or only deletes whole series. */
  readonly rangedDelete: boolean;
  /** Path that makes just-written samples searchable at once, if the engine buffers them. */
  readonly flushPath: string | undefined;
}

const PROFILES: Record<RemoteEngine, EngineProfile> = {
  // VictoriaMetrics: delete_series removes whole series (no start/end: docs "How to delete
  // time series"); recently written rows become searchable after up to a second unless
  // /internal/force_flush is called.
  victoriametrics: {
    deletePath: '/api/v1/admin/tsdb/delete_series',
    rangedDelete: false,
    flushPath: '/internal/force_flush',
  },
  // Prometheus: needs --web.enable-admin-api; tombstones hide deleted samples at once.
  prometheus: { deletePath: '/api/v1/admin/tsdb/delete_series', rangedDelete: true, flushPath: undefined },
  // Mimir, Cortex (blocks storage) and Thanos have no online series deletion: series stay
  // until the engine's retention (or an offline block rewrite) removes them.
  mimir: { deletePath: undefined, rangedDelete: false, flushPath: undefined },
  cortex: { deletePath: undefined, rangedDelete: false, flushPath: undefined },
  thanos: { deletePath: undefined, rangedDelete: false, flushPath: undefined },
  generic: { deletePath: undefined, rangedDelete: false, flushPath: undefined },
};

export function engineProfile(engine: RemoteEngine): EngineProfile {
  return PROFILES[engine];
}

// VictoriaMetrics cluster: queries go to vmselect at `/select/<tenant>/prometheus`, deletion to
// the same vmselect at `/delete/<tenant>/prometheus/api/v1/admin/tsdb/delete_series`, and
// /internal/force_flush lives on vmstorage (not reachable through vmselect).
const VM_CLUSTER_SELECT = /\/select\/(\d+(?::\d+)?)\/prometheus\/?$/;

/** The delete-series URL for an engine and query URL, or undefined when the engine has none. */
export function deleteUrlFor(engine: RemoteEngine, queryUrl: string): URL | undefined {
  const profile = PROFILES[engine];
  if (!profile.deletePath) return undefined;
  const base = queryUrl.replace(/\/+$/, '');
  const cluster = engine === 'victoriametrics' ? VM_CLUSTER_SELECT.exec(base) : null;
  if (cluster)
    return new URL(base.replace(VM_CLUSTER_SELECT, `/delete/${cluster[1]!}/prometheus`) + profile.deletePath);
  return new URL(base + profile.deletePath);
}

/** The flush URL (read-after-write), or undefined where there is none to call. */
export function flushUrlFor(engine: RemoteEngine, queryUrl: string): URL | undefined {
  const profile = PROFILES[engine];
  const base = queryUrl.replace(/\/+$/, '');
  if (!profile.flushPath || VM_CLUSTER_SELECT.test(base)) return undefined;
  return new URL(base + profile.flushPath);
}

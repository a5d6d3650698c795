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

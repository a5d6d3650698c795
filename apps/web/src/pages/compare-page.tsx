import { useEffect } from 'preact/hooks';
import type { JobDetail } from '../api/api-types.js';
import { openJobStream } from '../api/job-stream.js';
import { api } from '../api/client.js';
import { ChartPanel } from '../components/chart-panel.js';
import { useAsync } from '../components/use-async.js';
import { useBoard } from '../components/use-board.js';
import { ViewToolbar } from '../components/view-toolbar.js';
import { parseView, writeView, type ViewState } from '../lib/view-state.js';
import { routes, setQuery, type Location } from '../router.js';
import { useTheme } from '../theme.js';

/** Compare runs: the same metric from several jobs on one chart. */
export function ComparePage({ location }: { location: Location }) {
  const selected = (location.query.get('jobs') ?? '').split(',').filter((s) => s.length > 0);
  const metric = location.query.get('metric') ?? '';
  const [jobs] = useAsync(() => api.listJobs(), []);
  const [details] = useAsync(() => Promise.all(selected.map((id) => api.getJob(id))), [selected.join(',')]);
  const update = (patch: { jobs?: string[]; metric?: string }): void => {
    const q = new URLSearchParams(location.query);
    const js = patch.jobs ?? selected;
    if (js.length) q.set('jobs', js.join(','));
    else q.delete('jobs');
    const m = patch.metric ?? metric;
    if (m) q.set('metric', m);
    else q.delete('metric');
    setQuery(q);
  };
  const loaded = details.status === 'ok' ? details.value : [];
  const metricNames = [
    ...new Set(loaded.flatMap((j) => [...j.declaredMetrics, ...j.metrics.map((m) => m.name)])),
  ].sort();
  return (
    <main id="main" class="page wide">
      <div class="page-head">
        <h1>Compare runs</h1>
      </div>
      <div class="compare-controls">
        <fieldset>
          <legend>Jobs</legend>
          {jobs.status === 'loading' && <p>Loading jobs…</p>}
          {jobs.status === 'error' && (
            <p role="alert" class="error">
              {jobs.error.message}
            </p>
          )}
          {jobs.status === 'ok' && (
            <div class="job-checks">
              {jobs.value.map((j) => (
                <label key={j.id} class="checkbox">
                  <input
                    type="checkbox"
                    checked={selected.includes(j.id)}
                    onChange={(e) =>
                      update({
                        jobs: e.currentTarget.checked
                          ? [...selected, j.id]
                          : selected.filter((s) => s !== j.id),
                      })
                    }
                  />{' '}
                  {j.name}
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <label>
          Metric{' '}
          <select value={metric} onChange={(e) => update({ metric: e.currentTarget.value })}>
            <option value="">Choose a metric…</option>
            {metricNames.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
      </div>
      {selected.length > 0 && metric && details.status === 'ok' ? (
        <CompareChart jobs={details.value} metric={metric} location={location} />
      ) : (
        <p class="muted">Choose two or more jobs and a metric they share to overlay their runs.</p>
      )}
      {selected.length > 0 && (
        <p class="small">
          {selected.map((id, i) => (
            <span key={id}>
              {i > 0 && ' · '}
              <a href={routes.job(id)}>{id}</a>
            </span>
          ))}
        </p>
      )}
    </main>
  );
}

function CompareChart({ jobs, metric, location }: { jobs: JobDetail[]; metric: string; location: Location }) {
  const view = parseView(location.query);
  const theme = useTheme();
  const setView = (v: ViewState): void => setQuery(writeView(v, new URLSearchParams(window.location.search)));
  const type = jobs.flatMap((j) => j.metrics).find((m) => m.name === metric)?.type ?? 'gauge';
  const board = useBoard({
    jobIds: jobs.map((j) => j.id),
    jobStartMs: Object.fromEntries(jobs.map((j) => [j.id, Date.parse(j.createdAt)])),
    view,
    theme,
    compare: true,
    onZoom: (fromMs, toMs) => {
      // Aligned by job start the x axis is an offset, not a time: zoom only on wall time.
      if (view.xAxis === 'wall') setView({ ...view, fromMs, toMs });
    },
    onResetZoom: () => {
      const { fromMs: _f, toMs: _t, ...rest } = view;
      setView(rest);
    },
    onUnknownMetric: () => undefined,
  });
  const ids = jobs.map((j) => j.id).join(',');
  useEffect(() => {
    const closers = ids.split(',').map((id) =>
      openJobStream(id, {
        onSamples: (e) => board.notifySamples(e),
        // Catch up on what arrived before the stream was subscribed or while it reconnected.
        onStatus: (status) => {
          if (status === 'open') board.refreshAll();
        },
      }),
    );
    return () => closers.forEach((close) => close());
  }, [ids, board]);
  return (
    <div>
      <ViewToolbar
        view={view}
        onChange={setView}
        startMs={Math.min(...jobs.map((j) => Date.parse(j.createdAt)))}
      />
      <div class="panels single">
        <ChartPanel key={`${metric}:${type}`} board={board} metric={{ name: metric, type }} />
      </div>
    </div>
  );
}

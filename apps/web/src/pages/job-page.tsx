import { useEffect, useRef, useState } from 'preact/hooks';
import type { JobDetail } from '../api/api-types.js';
import { api, ApiError } from '../api/client.js';
import { openJobStream } from '../api/job-stream.js';
import { ChartPanel } from '../components/chart-panel.js';
import { SnippetsView } from '../components/snippets-view.js';
import { useAsync, useNow, useThrottled } from '../components/use-async.js';
import { useBoard } from '../components/use-board.js';
import { ViewToolbar } from '../components/view-toolbar.js';
import { formatAgo, formatTimestamp } from '../lib/format.js';
import { jobStatus } from '../lib/job-status.js';
import { orderMetrics } from '../lib/order-metrics.js';
import { parseView, writeView, type ViewState } from '../lib/view-state.js';
import { navigate, routes, setQuery, type Location } from '../router.js';
import { useTheme } from '../theme.js';

/** The Job info page: header, Metrics tab (default) and Details tab. */
export function JobPage({ id, location }: { id: string; location: Location }) {
  const [job, reload] = useAsync(() => api.getJob(id), [id]);
  const tab = location.query.get('tab') === 'details' ? 'details' : 'metrics';
  if (job.status === 'loading')
    return (
      <main id="main" class="page">
        <p aria-live="polite">Loading {id}…</p>
      </main>
    );
  if (job.status === 'error') {
    const notFound = job.error instanceof ApiError && job.error.status === 404;
    return (
      <main id="main" class="page">
        <h1>{id}</h1>
        <p role="alert" class="error">
          {notFound ? `No job named ${id}.` : `Could not load the job: ${job.error.message}`}
        </p>
        <a href={routes.jobs()}>Back to jobs</a>
      </main>
    );
  }
  const setTab = (t: 'metrics' | 'details'): void => {
    const q = new URLSearchParams(location.query);
    if (t === 'metrics') q.delete('tab');
    else q.set('tab', t);
    setQuery(q);
  };
  return (
    <main id="main" class="page wide">
      <JobHeader job={job.value} />
      <div role="tablist" aria-label="Job" class="tabs">
        {(['metrics', 'details'] as const).map((t) => (
          <button
            key={t}
            role="tab"
            id={`tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => setTab(t)}
            onKeyDown={(e) => {
              if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
              const next = t === 'metrics' ? 'details' : 'metrics';
              setTab(next);
              document.getElementById(`tab-${next}`)?.focus();
            }}
          >
            {t === 'metrics' ? 'Metrics' : 'Details'}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'metrics' ? (
          <MetricsTab job={job.value} location={location} reloadJob={reload} />
        ) : (
          <DetailsTab job={job.value} />
        )}
      </div>
    </main>
  );
}

function JobHeader({ job }: { job: JobDetail }) {
  const now = useNow(5000);
  const status = jobStatus(job, now);
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | undefined>();
  const remove = async (): Promise<void> => {
    try {
      await api.deleteJob(job.id);
      navigate(routes.jobs());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class="page-head">
      <div>
        <p class="crumbs">
          <a href={routes.jobs()}>Jobs</a> /
        </p>
        <h1>{job.name}</h1>
        <p class="muted">
          <span class={`kind kind-${job.kind}`}>{job.kind}</span>{' '}
          <span class={`status status-${status.state}`}>{status.text}</span> · created{' '}
          <time dateTime={job.createdAt}>{formatTimestamp(Date.parse(job.createdAt))}</time>
          {job.lastPushAt && ` · last push ${formatAgo(Date.parse(job.lastPushAt), now)}`}
          {job.strict && ' · strict'}
        </p>
        {job.description && <p>{job.description}</p>}
      </div>
      <div class="actions">
        <a class="button" href={routes.compare([job.id])}>
          Compare…
        </a>
        <button type="button" class="danger" onClick={() => dialog.current?.showModal()}>
          Delete job
        </button>
      </div>
      <dialog ref={dialog} aria-labelledby="delete-title">
        <form method="dialog">
          <h2 id="delete-title">Delete {job.name}?</h2>
          <p>
            The job, its tokens and all its metrics ({job.seriesCount} series) are deleted for good. This
            cannot be undone.
          </p>
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
          <div class="actions">
            <button type="submit" value="cancel" autoFocus>
              Cancel
            </button>
            <button
              type="button"
              class="danger"
              onClick={() => {
                void remove();
              }}
            >
              Delete {job.name}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}

function MetricsTab({
  job,
  location,
  reloadJob,
}: {
  job: JobDetail;
  location: Location;
  reloadJob: () => void;
}) {
  const view = parseView(location.query);
  const theme = useTheme();
  const [streamStatus, setStreamStatus] = useState('connecting');
  const reloadSoon = useThrottled(reloadJob, 2000);
  const setView = (v: ViewState): void => setQuery(writeView(v, location.query));
  const board = useBoard({
    jobIds: [job.id],
    jobStartMs: { [job.id]: Date.parse(job.createdAt) },
    view,
    theme,
    compare: false,
    onZoom: (fromMs, toMs) =>
      setView({ ...parseView(new URLSearchParams(window.location.search)), fromMs, toMs }),
    onResetZoom: () => {
      const { fromMs: _f, toMs: _t, ...rest } = parseView(new URLSearchParams(window.location.search));
      setView(rest);
    },
    // A family this page doesn't chart yet: fetch the job again (at most every 2 s).
    onUnknownMetric: reloadSoon,
  });
  useEffect(
    () =>
      openJobStream(job.id, {
        onSamples: (e) => board.notifySamples(e),
        onStatus: (status) => {
          setStreamStatus(status);
          // Samples that arrived before the stream was subscribed (or while it was reconnecting)
          // sent no event: catch up once it is open, or a page opened just before the job's first
          // push would wait for the next one.
          if (status === 'open') {
            reloadSoon();
            board.refreshAll();
          }
        },
      }),
    [job.id, board],
  );
  const metrics = orderMetrics(job);
  const hasData = job.metrics.some((m) => m.seriesCount > 0);
  return (
    <div>
      <ViewToolbar
        view={view}
        onChange={setView}
        liveStatus={`stream ${streamStatus}`}
        startMs={Date.parse(job.createdAt)}
      />
      {!hasData && (
        <div class="empty">
          <h2>No metrics yet</h2>
          <p>
            Nothing has arrived for <strong>{job.name}</strong> yet. Send metrics with any of these; charts
            appear here as they arrive{view.live ? ', live' : ''}.
          </p>
          <SnippetsView context={{ jobId: job.id, metrics: job.declaredMetrics }} />
        </div>
      )}
      <div class="panels">
        {hasData && metrics.map((m) => <ChartPanel key={m.name} board={board} metric={m} />)}
      </div>
    </div>
  );
}

function DetailsTab({ job }: { job: JobDetail }) {
  return (
    <div>
      <h2>Metrics</h2>
      <table class="jobs">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Type</th>
            <th scope="col">Declared</th>
            <th scope="col" class="num">
              Series
            </th>
            <th scope="col" class="num">
              Last value
            </th>
            <th scope="col">Last sample</th>
          </tr>
        </thead>
        <tbody>
          {orderMetrics(job).map((m) => {
            const seen = job.metrics.find((x) => x.name === m.name);
            return (
              <tr key={m.name}>
                <th scope="row">{m.name}</th>
                <td>{seen?.type ?? '—'}</td>
                <td>{m.declared ? 'yes' : 'no'}</td>
                <td class="num">{seen?.seriesCount ?? 0}</td>
                <td class="num">{seen?.lastValue ?? '—'}</td>
                <td>{seen?.lastSampleAt ? formatTimestamp(Date.parse(seen.lastSampleAt)) : 'never'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>Send metrics</h2>
      <p class="muted">
        The push token was shown when the job was created; paste it where the snippets say so.
      </p>
      <SnippetsView context={{ jobId: job.id, metrics: job.declaredMetrics }} />
    </div>
  );
}

import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { useAsync, useNow } from '../components/use-async.js';
import { formatAgo, formatTimestamp } from '../lib/format.js';
import { jobStatus } from '../lib/job-status.js';
import { routes } from '../router.js';

/** Every job with its kind, status, last push and counts; a search box filters them. */
export function JobsPage() {
  const [jobs, reload] = useAsync(() => api.listJobs(), []);
  const [search, setSearch] = useState('');
  const now = useNow(5000);
  return (
    <main id="main" class="page">
      <div class="page-head">
        <h1>Jobs</h1>
        <div class="actions">
          <button type="button" onClick={reload}>
            Refresh
          </button>
          <a class="button primary" href={routes.newJob()}>
            New job
          </a>
        </div>
      </div>
      <label class="search">
        <span class="visually-hidden">Search jobs</span>
        <input
          type="search"
          placeholder="Search by name, kind, description or metric"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
      </label>
      {jobs.status === 'loading' && <p aria-live="polite">Loading jobs…</p>}
      {jobs.status === 'error' && (
        <p role="alert" class="error">
          Could not load jobs: {jobs.error.message}
        </p>
      )}
      {jobs.status === 'ok' && jobs.value.length === 0 && (
        <div class="empty">
          <p>No jobs yet. Declare a job and its metrics, then instrument your code.</p>
          <a class="button primary" href={routes.newJob()}>
            Create your first job
          </a>
        </div>
      )}
      {jobs.status === 'ok' && jobs.value.length > 0 && (
        <JobsTable jobs={jobs.value.filter((j) => matches(j, search))} total={jobs.value.length} now={now} />
      )}
    </main>
  );
}

type JobRow = Awaited<ReturnType<typeof api.listJobs>>[number];

function matches(job: JobRow, search: string): boolean {
  const q = search.trim().toLowerCase();
  if (!q) return true;
  return [job.name, job.kind, job.description, ...job.declaredMetrics].some((s) =>
    s.toLowerCase().includes(q),
  );
}

function JobsTable({ jobs, total, now }: { jobs: JobRow[]; total: number; now: number }) {
  const sorted = [...jobs].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return (
    <div class="table-wrap">
      <table class="jobs">
        <caption class="visually-hidden">
          Jobs ({jobs.length} of {total} shown)
        </caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Last push</th>
            <th scope="col" class="num">
              Metrics
            </th>
            <th scope="col" class="num">
              Series
            </th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((job) => {
            const status = jobStatus(job, now);
            return (
              <tr key={job.id}>
                <th scope="row">
                  <a href={routes.job(job.id)}>{job.name}</a>
                  {job.description && <div class="muted small">{job.description}</div>}
                </th>
                <td>
                  <span class={`kind kind-${job.kind}`}>{job.kind}</span>
                </td>
                <td>
                  <span class={`status status-${status.state}`}>{status.text}</span>
                </td>
                <td>
                  {job.lastPushAt ? (
                    <time dateTime={job.lastPushAt} title={formatTimestamp(Date.parse(job.lastPushAt))}>
                      {formatAgo(Date.parse(job.lastPushAt), now)}
                    </time>
                  ) : (
                    <span class="muted">never</span>
                  )}
                </td>
                <td class="num">{job.metricCount}</td>
                <td class="num">{job.seriesCount}</td>
                <td>
                  <time dateTime={job.createdAt}>{formatTimestamp(Date.parse(job.createdAt))}</time>
                </td>
              </tr>
            );
          })}
          {sorted.length === 0 && (
            <tr>
              <td colSpan={7} class="muted">
                No job matches this search.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

import { useState } from 'preact/hooks';
import { JOB_KINDS, type CreateJobResponse, type JobKind } from '../api/api-types.js';
import { api, ApiError } from '../api/client.js';
import { SnippetsView } from '../components/snippets-view.js';
import { splitMetricNames, validateJobForm } from '../lib/names.js';
import { routes } from '../router.js';

/** The seed's Job Builder: name, kind, description and the custom metrics to declare. */
export function JobBuilderPage() {
  const [created, setCreated] = useState<CreateJobResponse | undefined>();
  return (
    <main id="main" class="page narrow">
      {created ? (
        <Created result={created} onAnother={() => setCreated(undefined)} />
      ) : (
        <BuilderForm onCreated={setCreated} />
      )}
    </main>
  );
}

function BuilderForm({ onCreated }: { onCreated: (r: CreateJobResponse) => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<JobKind>('experiment');
  const [description, setDescription] = useState('');
  const [metricsText, setMetricsText] = useState('');
  const [strict, setStrict] = useState(false);
  const [touched, setTouched] = useState({ name: false, metrics: false });
  const [serverError, setServerError] = useState<ApiError | undefined>();
  const [submitting, setSubmitting] = useState(false);

  const metrics = splitMetricNames(metricsText);
  const problems = validateJobForm(name, metrics);
  const showName = touched.name && problems.jobName !== undefined;
  const showMetrics = touched.metrics && problems.metrics.length > 0;

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setTouched({ name: true, metrics: true });
    setServerError(undefined);
    if (problems.jobName || problems.metrics.length > 0) {
      document.getElementById(problems.jobName ? 'job-name' : 'job-metrics')?.focus();
      return;
    }
    setSubmitting(true);
    try {
      const req = {
        name: name.trim(),
        kind,
        metrics,
        strict,
        ...(description.trim() ? { description: description.trim() } : {}),
      };
      onCreated(await api.createJob(req));
    } catch (err) {
      setServerError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form class="builder" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="builder-title">
      <h1 id="builder-title">New job</h1>
      <p class="muted">
        Declare the job and the custom metrics it will send. Names may use only letters, digits,{' '}
        <code>_</code> and <code>-</code>.
      </p>
      <div class="field">
        <label for="job-name">Name</label>
        <input
          id="job-name"
          name="name"
          value={name}
          autoComplete="off"
          spellcheck={false}
          aria-invalid={showName}
          aria-describedby="job-name-help job-name-error"
          onInput={(e) => {
            setName(e.currentTarget.value);
            setTouched((t) => ({ ...t, name: true }));
          }}
        />
        <div id="job-name-help" class="help">
          The job id: used in push URLs and the <code>job</code> label.
        </div>
        <div id="job-name-error" class="field-error" role={showName ? 'alert' : undefined}>
          {showName && `Name ${problems.jobName}`}
        </div>
      </div>
      <fieldset class="field">
        <legend>Kind</legend>
        <div class="radios">
          {JOB_KINDS.map((k) => (
            <label key={k}>
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />{' '}
              {k}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="field">
        <label for="job-description">Description</label>
        <textarea
          id="job-description"
          rows={2}
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="job-metrics">Custom metrics</label>
        <textarea
          id="job-metrics"
          rows={4}
          spellcheck={false}
          placeholder={'loss\naccuracy\nlearning-rate'}
          value={metricsText}
          aria-invalid={showMetrics}
          aria-describedby="job-metrics-help job-metrics-error"
          onInput={(e) => {
            setMetricsText(e.currentTarget.value);
            setTouched((t) => ({ ...t, metrics: true }));
          }}
        />
        <div id="job-metrics-help" class="help">
          One per line (or separated by commas). {metrics.length > 0 && `${metrics.length} declared.`}
        </div>
        <div id="job-metrics-error" class="field-error" role={showMetrics ? 'alert' : undefined}>
          {showMetrics && (
            <ul>
              {problems.metrics.map((p) => (
                <li key={p.name}>
                  <code>{p.name}</code> {p.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <div class="field">
        <label class="checkbox">
          <input type="checkbox" checked={strict} onChange={(e) => setStrict(e.currentTarget.checked)} />{' '}
          Strict: refuse metrics that were not declared
        </label>
      </div>
      {serverError && (
        <div role="alert" class="error">
          <strong>The server refused the job:</strong> {serverError.message}
          {serverError.invalidNames.length > 0 && (
            <ul>
              {serverError.invalidNames.map((n) => (
                <li key={n.name}>
                  <code>{n.name}</code>: {n.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={submitting}>
          {submitting ? 'Creating…' : 'Create job'}
        </button>
        <a class="button" href={routes.jobs()}>
          Cancel
        </a>
      </div>
    </form>
  );
}

function Created({ result, onAnother }: { result: CreateJobResponse; onAnother: () => void }) {
  const { job, pushToken } = result;
  return (
    <section aria-labelledby="created-title">
      <h1 id="created-title">Job {job.name} created</h1>
      <p>
        Instrument your code with one of the snippets below; the metrics appear on the{' '}
        <a href={routes.job(job.id)}>job's Metrics tab</a> as they arrive.
      </p>
      <div class="token">
        <label for="push-token">Push token (shown once: keep it secret)</label>
        <input id="push-token" readOnly value={pushToken} onFocus={(e) => e.currentTarget.select()} />
      </div>
      <SnippetsView context={{ jobId: job.id, token: pushToken, metrics: job.declaredMetrics }} />
      <div class="actions">
        <a class="button primary" href={routes.job(job.id)}>
          Open {job.name}
        </a>
        <button type="button" onClick={onAnother}>
          Create another
        </button>
      </div>
    </section>
  );
}

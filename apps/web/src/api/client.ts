import type {
  ApiErrorBody,
  CreateJobRequest,
  CreateJobResponse,
  IngestEndpoints,
  InvalidName,
  Job,
  JobDetail,
  PromMatrixData,
  PromMatrixSeries,
  PromResponse,
} from './api-types.js';
import { authHeaders, signalAuthRequired } from './auth.js';

/** A refusal from the server, with its message and (for bad job names) every bad name. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    readonly invalidNames: readonly InvalidName[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = {
    Accept: 'application/json',
    ...authHeaders(),
    ...(init.headers as Record<string, string>),
  };
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers });
  } catch (e) {
    throw new ApiError(0, 'unavailable', `Tally server unreachable: ${(e as Error).message}`);
  }
  if (res.status === 401) {
    signalAuthRequired();
    throw new ApiError(401, 'unauthorized', 'This server needs a token.');
  }
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: reported below with the raw text
  }
  if (!res.ok) {
    const err = body as Partial<ApiErrorBody> | undefined;
    throw new ApiError(
      res.status,
      err?.errorType ?? 'http_error',
      err?.error ?? (text.trim() || `HTTP ${res.status}`),
      err?.invalidNames ?? [],
    );
  }
  return body as T;
}

const jsonInit = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export const api = {
  listJobs: async (): Promise<Job[]> => (await request<{ jobs: Job[] }>('/api/v1/jobs')).jobs,
  getJob: async (id: string): Promise<JobDetail> =>
    (await request<{ job: JobDetail }>(`/api/v1/jobs/${encodeURIComponent(id)}`)).job,
  /** Where clients send (ports as bound); open, no token needed. */
  ingestEndpoints: async (): Promise<IngestEndpoints> =>
    (await request<{ data: IngestEndpoints }>('/api/v1/status/ingest')).data,
  createJob: (req: CreateJobRequest): Promise<CreateJobResponse> =>
    request<CreateJobResponse>('/api/v1/jobs', jsonInit('POST', req)),
  deleteJob: (id: string): Promise<{ deleted: string }> =>
    request<{ deleted: string }>(`/api/v1/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' }),

  /** Prometheus `query_range` (GET: every Prometheus-compatible API accepts it). */
  queryRange: async (
    query: string,
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
    signal?: AbortSignal,
  ): Promise<readonly PromMatrixSeries[]> => {
    const params = new URLSearchParams({
      query,
      start: String(startSeconds),
      end: String(endSeconds),
      step: String(stepSeconds),
    });
    const init: RequestInit = {};
    if (signal) init.signal = signal;
    const res = await request<PromResponse<PromMatrixData>>(`/api/v1/query_range?${params.toString()}`, init);
    if (res.status !== 'success' || !res.data) {
      throw new ApiError(400, res.errorType ?? 'bad_data', res.error ?? 'query failed');
    }
    return res.data.result;
  },
};

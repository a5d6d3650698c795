// Every choice on the Metrics tab and the Compare page lives in the URL query, so a link
// reproduces the view. Parsing never throws: a bad or unknown value falls back to its default.

export const RANGE_PRESETS = ['5m', '15m', '1h', '6h', '24h', '7d', '30d', 'job'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const RANGE_LABELS: Record<RangePreset, string> = {
  '5m': 'Last 5 minutes',
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  job: 'Since the job started',
};

export const RESOLUTIONS = [100, 200, 400, 1000, 2500, 10000] as const;

export interface ViewState {
  readonly range: RangePreset;
  /** An absolute window from drag-to-zoom, epoch ms; both or neither. */
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly xAxis: 'wall' | 'relative';
  readonly log: boolean;
  /** EMA smoothing weight, 0 (off) to 0.99. */
  readonly ema: number;
  readonly rawCounters: boolean;
  readonly live: boolean;
  /** Step buckets per chart. */
  readonly resolution: number;
}

export const DEFAULT_VIEW: ViewState = {
  range: '1h',
  xAxis: 'wall',
  log: false,
  ema: 0,
  rawCounters: false,
  live: true,
  resolution: 400,
};

export function parseView(params: URLSearchParams): ViewState {
  const range = params.get('range');
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  const ema = Number(params.get('ema'));
  const res = Number(params.get('res'));
  const view: ViewState = {
    range: (RANGE_PRESETS as readonly string[]).includes(range ?? '')
      ? (range as RangePreset)
      : DEFAULT_VIEW.range,
    xAxis: params.get('x') === 'relative' ? 'relative' : 'wall',
    log: params.get('log') === '1',
    ema: Number.isFinite(ema) && ema > 0 && ema < 1 ? Math.round(ema * 100) / 100 : 0,
    rawCounters: params.get('raw') === '1',
    live: params.get('paused') !== '1',
    resolution: (RESOLUTIONS as readonly number[]).includes(res) ? res : DEFAULT_VIEW.resolution,
  };
  if (params.has('from') && params.has('to') && Number.isFinite(from) && Number.isFinite(to) && from < to) {
    return { ...view, fromMs: from, toMs: to };
  }
  return view;
}

/** Writes the non-default parts of `view` into `params` (other keys are kept). */
export function writeView(view: ViewState, params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(params);
  const set = (key: string, value: string | undefined): void => {
    if (value === undefined) out.delete(key);
    else out.set(key, value);
  };
  set('range', view.range === DEFAULT_VIEW.range ? undefined : view.range);
  set(
    'from',
    view.fromMs !== undefined && view.toMs !== undefined ? String(Math.round(view.fromMs)) : undefined,
  );
  set('to', view.fromMs !== undefined && view.toMs !== undefined ? String(Math.round(view.toMs)) : undefined);
  set('x', view.xAxis === 'relative' ? 'relative' : undefined);
  set('log', view.log ? '1' : undefined);
  set('ema', view.ema > 0 ? String(view.ema) : undefined);
  set('raw', view.rawCounters ? '1' : undefined);
  set('paused', view.live ? undefined : '1');
  set('res', view.resolution === DEFAULT_VIEW.resolution ? undefined : String(view.resolution));
  return out;
}

const PRESET_SECONDS: Record<Exclude<RangePreset, 'job'>, number> = {
  '5m': 300,
  '15m': 900,
  '1h': 3600,
  '6h': 21600,
  '24h': 86400,
  '7d': 604800,
  '30d': 2592000,
};

/** The window to query, in epoch seconds, and its step. */
export interface QueryWindow {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly stepSeconds: number;
}

export function queryWindow(view: ViewState, nowMs: number, jobStartMs: number): QueryWindow {
  let start: number;
  let end: number;
  if (view.fromMs !== undefined && view.toMs !== undefined) {
    start = view.fromMs / 1000;
    end = view.toMs / 1000;
  } else {
    end = nowMs / 1000;
    start = view.range === 'job' ? Math.min(jobStartMs / 1000, end - 60) : end - PRESET_SECONDS[view.range];
  }
  const stepSeconds = stepFor(end - start, view.resolution);
  // Align to the step so a refetch gives the same buckets (and live updates don't shimmer).
  return {
    startSeconds: toMs(Math.floor(start / stepSeconds) * stepSeconds),
    endSeconds: toMs(Math.ceil(end / stepSeconds) * stepSeconds),
    stepSeconds,
  };
}

/** Step for `buckets` buckets over the range: whole seconds, or whole milliseconds under 1 s. */
export function stepFor(rangeSeconds: number, buckets: number): number {
  const raw = Math.max(rangeSeconds, 0.001) / Math.max(1, buckets);
  if (raw >= 1) return Math.ceil(raw);
  return Math.max(1, Math.ceil(raw * 1000)) / 1000;
}

const toMs = (seconds: number): number => Math.round(seconds * 1000) / 1000;

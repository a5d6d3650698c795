import {
  queryWindow,
  RANGE_LABELS,
  RANGE_PRESETS,
  RESOLUTIONS,
  type RangePreset,
  type ViewState,
} from '../lib/view-state.js';
import { formatTimestamp } from '../lib/format.js';

/** The Metrics tab's controls; every change becomes URL state through `onChange`. */
export function ViewToolbar({
  view,
  onChange,
  liveStatus,
  startMs,
}: {
  view: ViewState;
  onChange: (v: ViewState) => void;
  liveStatus?: string;
  /** The earliest job start shown (for the "since the job started" window). */
  startMs: number;
}) {
  const zoomed = view.fromMs !== undefined && view.toMs !== undefined;
  const set = (patch: Partial<ViewState>): void => onChange({ ...view, ...patch });
  const unzoom = (): ViewState => {
    const { fromMs: _f, toMs: _t, ...rest } = view;
    return rest;
  };
  const zoomOut = (): void => {
    if (!zoomed) return;
    const span = (view.toMs ?? 0) - (view.fromMs ?? 0);
    const to = Math.min(Date.now(), (view.toMs ?? 0) + span / 2);
    onChange({ ...view, fromMs: to - span * 2, toMs: to });
  };
  // Drag-to-zoom has a keyboard twin: halve the window, keeping its newest end.
  const zoomIn = (): void => {
    const w = queryWindow(view, Date.now(), startMs);
    const to = view.toMs ?? w.endSeconds * 1000;
    const from = view.fromMs ?? w.startSeconds * 1000;
    onChange({ ...view, fromMs: to - (to - from) / 2, toMs: to });
  };
  return (
    <div class="toolbar" role="group" aria-label="Chart view">
      <label>
        Range{' '}
        <select
          value={view.range}
          onChange={(e) => onChange({ ...unzoom(), range: e.currentTarget.value as RangePreset })}
        >
          {RANGE_PRESETS.map((r) => (
            <option key={r} value={r}>
              {RANGE_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={zoomIn}>
        Zoom in
      </button>
      {zoomed && (
        <span class="zoom" aria-live="polite">
          Zoomed: {formatTimestamp(view.fromMs ?? 0)} – {formatTimestamp(view.toMs ?? 0)}{' '}
          <button type="button" onClick={zoomOut}>
            Zoom out
          </button>{' '}
          <button type="button" onClick={() => onChange(unzoom())}>
            Reset zoom
          </button>
        </span>
      )}
      <button
        type="button"
        aria-pressed={view.live}
        class={view.live ? 'live on' : 'live'}
        onClick={() => set({ live: !view.live })}
        title={liveStatus}
      >
        {view.live ? '● Live' : '❚❚ Paused'}
      </button>
      <label>
        X axis{' '}
        <select
          value={view.xAxis}
          onChange={(e) => set({ xAxis: e.currentTarget.value === 'relative' ? 'relative' : 'wall' })}
        >
          <option value="wall">Wall time</option>
          <option value="relative">Since job start</option>
        </select>
      </label>
      <label class="checkbox">
        <input type="checkbox" checked={view.log} onChange={(e) => set({ log: e.currentTarget.checked })} />{' '}
        Log scale
      </label>
      <label class="checkbox">
        <input
          type="checkbox"
          checked={view.rawCounters}
          onChange={(e) => set({ rawCounters: e.currentTarget.checked })}
        />{' '}
        Raw counters
      </label>
      <label class="smoothing">
        Smoothing{' '}
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={view.ema}
          aria-valuetext={view.ema > 0 ? `EMA ${view.ema}` : 'off'}
          onChange={(e) => set({ ema: Number(e.currentTarget.value) })}
        />{' '}
        <output>{view.ema > 0 ? view.ema.toFixed(2) : 'off'}</output>
      </label>
      <label>
        Points{' '}
        <select value={view.resolution} onChange={(e) => set({ resolution: Number(e.currentTarget.value) })}>
          {RESOLUTIONS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

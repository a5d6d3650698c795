import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { onTokenChange } from '../api/auth.js';

export type AsyncState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: Error }
  | { readonly status: 'ok'; readonly value: T };

/** Runs `load` when `deps` change (and after a new token); `reload` runs it again. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => onTokenChange(reload), [reload]);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setState({ status: 'ok', value }),
      (e: unknown) =>
        live && setState({ status: 'error', error: e instanceof Error ? e : new Error(String(e)) }),
    );
    return () => {
      live = false;
    };
  }, [...deps, generation]);
  return [state, reload];
}

/** Re-renders every `ms` (for "idle since …" texts). */
export function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/**
 * `fn` at most once per `ms`; a call inside the window runs at its end instead of being dropped,
 * so the last request of a burst is always served.
 */
export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const state = useRef({ lastMs: 0, timer: undefined as ReturnType<typeof setTimeout> | undefined });
  useEffect(
    () => () => {
      clearTimeout(state.current.timer);
    },
    [],
  );
  return useCallback(() => {
    const s = state.current;
    if (s.timer !== undefined) return;
    const waitMs = s.lastMs + ms - Date.now();
    const run = (): void => {
      s.timer = undefined;
      s.lastMs = Date.now();
      latest.current();
    };
    if (waitMs <= 0) run();
    else s.timer = setTimeout(run, waitMs);
  }, [ms]);
}

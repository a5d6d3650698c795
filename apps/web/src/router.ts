// A tiny history-API router: the server serves index.html for every UI path (SPA fallback),
// and all view state is in the path and query so links are shareable.

import { useEffect, useState } from 'preact/hooks';

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

const listeners = new Set<() => void>();

function current(): Location {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

export function navigate(url: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  for (const l of listeners) l();
}

/** Replaces the query of the current path (view-state changes don't add history entries). */
export function setQuery(query: URLSearchParams): void {
  const q = query.toString();
  navigate(`${window.location.pathname}${q ? `?${q}` : ''}`, { replace: true });
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = (): void => setLoc(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return loc;
}

/** For <a> clicks: in-app navigation without a reload, but new tabs etc. still work. */
export function onLinkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest('a');
  if (!a || a.target || a.hasAttribute('download') || a.origin !== window.location.origin) return;
  e.preventDefault();
  navigate(a.pathname + a.search);
}

export const routes = {
  jobs: (): string => '/',
  newJob: (): string => '/new',
  job: (id: string): string => `/jobs/${encodeURIComponent(id)}`,
  compare: (jobs: readonly string[] = [], metric?: string): string => {
    const q = new URLSearchParams();
    if (jobs.length) q.set('jobs', jobs.join(','));
    if (metric) q.set('metric', metric);
    const s = q.toString();
    return `/compare${s ? `?${s}` : ''}`;
  },
};

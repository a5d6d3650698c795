import { useEffect } from 'preact/hooks';
import { TokenDialog } from './components/token-dialog.js';
import { ComparePage } from './pages/compare-page.js';
import { JobBuilderPage } from './pages/job-builder-page.js';
import { JobPage } from './pages/job-page.js';
import { JobsPage } from './pages/jobs-page.js';
import { onLinkClick, routes, useLocation, type Location } from './router.js';
import { setTheme, useTheme } from './theme.js';

export function App() {
  const location = useLocation();
  const theme = useTheme();
  useEffect(() => {
    document.addEventListener('click', onLinkClick);
    return () => document.removeEventListener('click', onLinkClick);
  }, []);
  useEffect(() => {
    document.title = titleFor(location);
  }, [location]);
  const nav = (href: string, label: string, active: boolean) => (
    <a href={href} aria-current={active ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={routes.jobs()} aria-label="Tally home">
          <span aria-hidden="true">▮▮▯</span> Tally
        </a>
        <nav aria-label="Main">
          {nav(routes.jobs(), 'Jobs', location.path === '/' || location.path.startsWith('/jobs/'))}
          {nav(routes.newJob(), 'New job', location.path === '/new')}
          {nav(routes.compare(), 'Compare runs', location.path === '/compare')}
        </nav>
        <button
          type="button"
          class="theme-toggle"
          aria-pressed={theme === 'dark'}
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? '☾ Dark' : '☀ Light'}
        </button>
      </header>
      <Route location={location} />
      <TokenDialog />
    </>
  );
}

function Route({ location }: { location: Location }) {
  const p = location.path;
  if (p === '/' || p === '/jobs' || p === '/index.html') return <JobsPage />;
  if (p === '/new') return <JobBuilderPage />;
  if (p === '/compare') return <ComparePage location={location} />;
  const m = /^\/jobs\/([^/]+)\/?$/.exec(p);
  if (m) {
    const id = decodeURIComponent(m[1]!);
    return <JobPage key={id} id={id} location={location} />;
  }
  return (
    <main id="main" class="page">
      <h1>Not found</h1>
      <p>
        Nothing lives at <code>{p}</code>. <a href={routes.jobs()}>Go to the jobs</a>.
      </p>
    </main>
  );
}

function titleFor(location: Location): string {
  const m = /^\/jobs\/([^/]+)/.exec(location.path);
  if (m) return `${decodeURIComponent(m[1]!)} · Tally`;
  if (location.path === '/new') return 'New job · Tally';
  if (location.path === '/compare') return 'Compare runs · Tally';
  return 'Jobs · Tally';
}

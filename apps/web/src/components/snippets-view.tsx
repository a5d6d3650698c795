import { useEffect, useState } from 'preact/hooks';
import type { IngestEndpoints } from '../api/api-types.js';
import { api } from '../api/client.js';
import { snippetAddresses } from '../lib/server-address.js';
import { snippets, type SnippetContext } from '../lib/snippets.js';

/** Asked once per page load: the listeners don't move while the server runs. */
let endpoints: Promise<IngestEndpoints | undefined> | undefined;

/** The server's bound StatsD port (null: no listener); undefined until known, or from a server that can't say. */
function useStatsdPort(): number | null | undefined {
  const [port, setPort] = useState<number | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    endpoints ??= api.ingestEndpoints().catch(() => undefined);
    void endpoints.then((e) => live && e && setPort(e.statsdUdpPort));
    return () => {
      live = false;
    };
  }, []);
  return port;
}

/** The instrumentation snippets for a job, one tab each, with a copy button; addresses from this server. */
export function SnippetsView({ context }: { context: Omit<SnippetContext, 'baseUrl' | 'statsd'> }) {
  const statsdPort = useStatsdPort();
  const all = snippets({ ...context, ...snippetAddresses(window.location, statsdPort) });
  const [selected, setSelected] = useState(all[0]!.id);
  const [copied, setCopied] = useState<string | undefined>();
  const current = all.find((s) => s.id === selected) ?? all[0]!;
  const copy = (): void => {
    void navigator.clipboard?.writeText(current.code).then(
      () => setCopied(current.id),
      () => setCopied(undefined),
    );
  };
  return (
    <section class="snippets" aria-label="Instrumentation snippets">
      <div role="tablist" aria-label="Client" class="tabs small">
        {all.map((s) => (
          <button
            key={s.id}
            role="tab"
            id={`snippet-tab-${s.id}`}
            aria-selected={s.id === current.id}
            aria-controls="snippet-panel"
            tabIndex={s.id === current.id ? 0 : -1}
            onClick={() => setSelected(s.id)}
            onKeyDown={(e) => {
              const i = all.findIndex((x) => x.id === current.id);
              const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : undefined;
              if (next === undefined) return;
              const s2 = all[(next + all.length) % all.length]!;
              setSelected(s2.id);
              document.getElementById(`snippet-tab-${s2.id}`)?.focus();
            }}
          >
            {s.title}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="snippet-panel" aria-labelledby={`snippet-tab-${current.id}`} class="snippet">
        <button type="button" class="copy" onClick={copy}>
          {copied === current.id ? 'Copied' : 'Copy'}
        </button>
        <pre tabIndex={0} data-snippet={current.id}>
          <code>{current.code}</code>
        </pre>
      </div>
    </section>
  );
}

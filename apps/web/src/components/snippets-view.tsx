import { useState } from 'preact/hooks';
import { snippets, type SnippetContext } from '../lib/snippets.js';

/** The instrumentation snippets for a job, one tab each, with a copy button. */
export function SnippetsView({ context }: { context: SnippetContext }) {
  const all = snippets(context);
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

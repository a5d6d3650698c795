// How a series is named in legends, tables and exports: its labels minus the ones every series
// of the chart shares by construction (__name__, and job when one job is shown).

export function seriesName(
  metric: Readonly<Record<string, string>>,
  opts: { readonly legend?: string; readonly keepJob?: boolean; readonly fallback: string },
): string {
  const parts = Object.entries(metric)
    .filter(([k]) => k !== '__name__' && (opts.keepJob || k !== 'job'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}="${v}"`);
  const labels = parts.length > 0 ? `{${parts.join(', ')}}` : '';
  if (opts.legend) return labels ? `${opts.legend} ${labels}` : opts.legend;
  return labels || opts.fallback;
}

/** A stable identity for a label set (for matching min/max/last answers). */
export function labelsKey(metric: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(metric)
      .filter(([k]) => k !== '__name__')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

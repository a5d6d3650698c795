// Synthetic Prometheus range answers for the UI benchmark: the benchmark measures the browser
// (fetch, parse, downsampling merge, uPlot drawing), so the query API is answered in the page's
// network layer with exactly as many points as the request's start/end/step ask for.

export function syntheticMatrix(url: URL, seed: number): string {
  const start = Number(url.searchParams.get('start'));
  const end = Number(url.searchParams.get('end'));
  const step = Number(url.searchParams.get('step'));
  const n = Math.min(20_000, Math.floor((end - start) / step) + 1);
  const values: [number, string][] = new Array<[number, string]>(n);
  let x = seed;
  let v = 1;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648; // a tiny LCG: the same curve every run
    v = Math.max(0.001, v + (x / 2147483648 - 0.5) * 0.05);
    values[i] = [Math.round((start + i * step) * 1000) / 1000, String(v)];
  }
  // The UI asks for a gauge's bucket min, max and last in one query, told apart by tally_agg.
  const query = url.searchParams.get('query') ?? '';
  const result = query.includes('tally_agg')
    ? ['min', 'max', 'last'].map((agg) => ({ metric: { job: 'bench', tally_agg: agg }, values }))
    : [{ metric: { job: 'bench' }, values }];
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
}

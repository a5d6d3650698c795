import type { Matcher, Storage } from '@tally/storage';

/** Every matching series as `labels → [t, v][]`, keys in the querier's order. */
export async function readAll(
  store: Storage,
  matchers: Matcher[],
  minT = -1e15,
  maxT = 1e15,
): Promise<Record<string, [number, number][]>> {
  const q = store.querier(minT, maxT);
  const out: Record<string, [number, number][]> = {};
  for (const s of await q.select(matchers)) {
    const it = s.iterator();
    const samples: [number, number][] = [];
    while (it.next()) samples.push([it.t, it.v]);
    out[s.labels.map((l) => `${l.name}=${l.value}`).join(',')] = samples;
  }
  q.close();
  return out;
}

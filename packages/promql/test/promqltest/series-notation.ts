import { STALE_NAN } from '@tally/model';
import { parseNumberLiteral } from '../../src/parser/parse-number.js';

/** One point of a series description: a value, a stale marker, or nothing (`_`). */
export type SeriesPoint =
  { kind: 'value'; value: number } | { kind: 'stale' } | { kind: 'missing' } | { kind: 'histogram' };

function parseValue(text: string): SeriesPoint | undefined {
  if (text === 'stale') return { kind: 'stale' };
  let sign = 1;
  let t = text;
  if (t.startsWith('-')) {
    sign = -1;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  const v = parseNumberLiteral(t);
  return v === undefined ? undefined : { kind: 'value', value: sign * v };
}

/**
 * Expands promqltest / promtool series notation: `1 2 _ stale`, `0+10x100` (101 values),
 * `1-1x3`, `5x3` (4 values), `_x3` (3 gaps). `{{…}}` native histograms become `histogram`
 * points (they are out of scope). Throws on anything else.
 */
export function expandSeries(text: string): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  // A series with native histogram samples is out of scope as a whole.
  if (text.includes('{{')) return [{ kind: 'histogram' }];
  // Histograms may contain spaces: take `{{ … }}` as one token.
  const tokens = text.match(/\{\{.*?\}\}(x\d+)?|\S+/g) ?? [];
  for (const tok of tokens) {
    if (tok.startsWith('{{')) {
      const times = /x(\d+)$/.exec(tok);
      const n = times ? Number(times[1]) + 1 : 1;
      for (let i = 0; i < n; i++) out.push({ kind: 'histogram' });
      continue;
    }
    if (tok === '_') {
      out.push({ kind: 'missing' });
      continue;
    }
    const blanks = /^_x(\d+)$/.exec(tok);
    if (blanks) {
      for (let i = 0; i < Number(blanks[1]); i++) out.push({ kind: 'missing' });
      continue;
    }
    const seq = /^([+-]?[^+\-x]+?|[+-]?\d+(?:\.\d*)?[eE][+-]?\d+)(?:([+-][^x]+))?x(\d+)$/.exec(tok);
    if (seq) {
      const start = parseValue(seq[1]!);
      const inc = seq[2] !== undefined ? parseValue(seq[2]) : { kind: 'value' as const, value: 0 };
      if (!start || !inc || inc.kind !== 'value') throw new Error(`bad series item ${JSON.stringify(tok)}`);
      const n = Number(seq[3]);
      if (start.kind === 'stale') {
        for (let i = 0; i <= n; i++) out.push({ kind: 'stale' });
        continue;
      }
      if (start.kind !== 'value') throw new Error(`bad series item ${JSON.stringify(tok)}`);
      let v = start.value;
      for (let i = 0; i <= n; i++) {
        out.push({ kind: 'value', value: v });
        v += inc.value;
      }
      continue;
    }
    const single = parseValue(tok);
    if (!single) throw new Error(`bad series item ${JSON.stringify(tok)}`);
    out.push(single);
  }
  return out;
}

export { STALE_NAN };

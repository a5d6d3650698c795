import { METRIC_NAME, labelsFromRecord, type Labels } from '@tally/model';
import { lex } from '../../src/parser/lexer.js';

/**
 * Splits `metric{a="b"} 1 2 3` into labels and the rest of the line. Accepts `{…}` without a
 * name, quoted names (`{"a.b", x="y"}`) and `__name__` inside the braces.
 */
export function splitSeriesLine(line: string): { labels: Labels; rest: string } {
  const s = line.trim();
  let i = 0;
  if (s[0] !== '{') {
    while (i < s.length && /[A-Za-z0-9_:]/.test(s[i]!)) i++;
  }
  if (s[i] === '{') {
    let quote = '';
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'" || c === '`') quote = c;
      else if (c === '}') {
        i++;
        break;
      }
    }
  }
  const desc = s.slice(0, i);
  return { labels: parseSeriesDescriptor(desc), rest: s.slice(i).trim() };
}

export function parseSeriesDescriptor(desc: string): Labels {
  const tokens = lex(desc);
  const record: Record<string, string> = {};
  let k = 0;
  const t0 = tokens[0]!;
  if (t0.kind === 'IDENT' || t0.kind === 'METRIC_IDENT') {
    record[METRIC_NAME] = t0.text;
    k = 1;
  }
  if (tokens[k]?.kind === 'LBRACE') {
    k++;
    while (tokens[k] && tokens[k]!.kind !== 'RBRACE' && tokens[k]!.kind !== 'EOF') {
      const name = tokens[k]!;
      const next = tokens[k + 1];
      if (name.kind === 'STRING' && (next?.kind === 'COMMA' || next?.kind === 'RBRACE')) {
        record[METRIC_NAME] = name.text;
        k += next.kind === 'COMMA' ? 2 : 1;
        continue;
      }
      const value = tokens[k + 2];
      if (next?.kind !== 'OP' || next.text !== '=' || value?.kind !== 'STRING')
        throw new Error(`bad series descriptor ${JSON.stringify(desc)}`);
      record[name.text] = value.text;
      k += 3;
      if (tokens[k]?.kind === 'COMMA') k++;
    }
  }
  return labelsFromRecord(record);
}

import type { Labels } from '@tally/model';
import { parsePromDuration } from '../../src/parser/duration.js';
import { splitSeriesLine } from './parse-labels.js';
import { expandSeries, type SeriesPoint } from './series-notation.js';

export interface LoadCommand {
  readonly kind: 'load';
  readonly line: number;
  readonly intervalMs: number;
  readonly withNhcb: boolean;
  readonly series: { labels: Labels; points: SeriesPoint[] }[];
}

export interface Expectation {
  readonly type: 'fail' | 'warn' | 'info' | 'no_warn' | 'no_info' | 'ordered' | 'string' | 'range';
  readonly match?: { readonly kind: 'msg' | 'regex'; readonly text: string };
  readonly text?: string;
  readonly range?: { startMs: number; endMs: number; stepMs: number };
}

export interface EvalCommand {
  readonly kind: 'eval';
  readonly line: number;
  readonly source: string;
  readonly query: string;
  readonly instant: boolean;
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  readonly expectations: Expectation[];
  /** Expected series (or one unlabelled line for a scalar). */
  readonly expected: { labels: Labels; points: SeriesPoint[]; scalar: boolean }[];
  readonly rawExpected: string[];
}

export type Command = LoadCommand | EvalCommand | { kind: 'clear'; line: number };

/** A promqltest time: `50m`, `1h30m`, `0`, `10` (seconds). */
export function parseTestTime(text: string): number {
  const d = parsePromDuration(text);
  if (d !== undefined) return d;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Error(`bad time ${JSON.stringify(text)}`);
  return Math.round(n * 1000);
}

function parseExpect(rest: string): Expectation {
  const m = /^(\S+)(.*)$/.exec(rest.trim())!;
  const type = m[1]!;
  const tail = m[2]!.trim();
  if (type === 'string') {
    const t = tail;
    const q = t[0];
    const text = q === '`' ? t.slice(1, -1) : (JSON.parse(t) as string);
    return { type: 'string', text };
  }
  if (type === 'range') {
    const r = /^vector from (\S+) to (\S+) step (\S+)$/.exec(tail);
    if (!r) throw new Error(`bad expect range line: ${rest}`);
    return {
      type: 'range',
      range: { startMs: parseTestTime(r[1]!), endMs: parseTestTime(r[2]!), stepMs: parseTestTime(r[3]!) },
    };
  }
  if (!['fail', 'warn', 'info', 'no_warn', 'no_info', 'ordered'].includes(type))
    throw new Error(`unknown expect type ${type}`);
  const mm = /^(msg|regex):\s?(.*)$/.exec(tail);
  if (mm) {
    let text = mm[2]!.trim();
    if (type === 'fail' && text.startsWith('"') && text.endsWith('"')) text = JSON.parse(text) as string;
    return { type: type as Expectation['type'], match: { kind: mm[1] as 'msg' | 'regex', text } };
  }
  return { type: type as Expectation['type'] };
}

/** Parses a promqltest script into commands. */
export function parseScript(text: string): Command[] {
  const lines = text.split('\n');
  const out: Command[] = [];
  let i = 0;
  const body = (): { text: string; line: number }[] => {
    const collected: { text: string; line: number }[] = [];
    while (i < lines.length) {
      const raw = lines[i]!;
      const trimmed = raw.trim();
      if (trimmed === '') break;
      if (trimmed.startsWith('#')) {
        i++;
        continue;
      }
      if (/^(load|eval|clear)/.test(raw)) break;
      collected.push({ text: trimmed, line: i + 1 });
      i++;
    }
    return collected;
  };
  while (i < lines.length) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    const lineNo = i + 1;
    i++;
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed === 'clear') {
      out.push({ kind: 'clear', line: lineNo });
      continue;
    }
    const load = /^load(_with_nhcb)?\s+(\S+)$/.exec(trimmed);
    if (load) {
      const series = body().map((l) => {
        const { labels, rest } = splitSeriesLine(l.text);
        return { labels, points: expandSeries(rest) };
      });
      out.push({
        kind: 'load',
        line: lineNo,
        intervalMs: parseTestTime(load[2]!),
        withNhcb: load[1] !== undefined,
        series,
      });
      continue;
    }
    const ev =
      /^eval(_fail|_warn|_info|_ordered)?\s+(instant at (\S+)|range from (\S+) to (\S+) step (\S+))\s+(.*)$/.exec(
        trimmed,
      );
    if (ev) {
      const expectations: Expectation[] = [];
      if (ev[1] === '_fail') expectations.push({ type: 'fail' });
      if (ev[1] === '_warn') expectations.push({ type: 'warn' });
      if (ev[1] === '_info') expectations.push({ type: 'info' });
      if (ev[1] === '_ordered') expectations.push({ type: 'ordered' });
      const instant = ev[3] !== undefined;
      const startMs = parseTestTime(instant ? ev[3]! : ev[4]!);
      const endMs = instant ? startMs : parseTestTime(ev[5]!);
      const stepMs = instant ? 0 : parseTestTime(ev[6]!);
      const expected: EvalCommand['expected'] = [];
      const rawExpected: string[] = [];
      for (const l of body()) {
        if (l.text.startsWith('expect ')) {
          expectations.push(parseExpect(l.text.slice(7)));
          continue;
        }
        if (l.text.startsWith('expected_fail_message ')) {
          expectations.push({ type: 'fail', match: { kind: 'msg', text: l.text.slice(22).trim() } });
          continue;
        }
        if (l.text.startsWith('expected_fail_regexp ')) {
          expectations.push({ type: 'fail', match: { kind: 'regex', text: l.text.slice(21).trim() } });
          continue;
        }
        rawExpected.push(l.text);
        if (/^[-+]?(\d|\.\d|inf|nan)/i.test(l.text) && !l.text.includes('{')) {
          expected.push({ labels: [], points: expandSeries(l.text), scalar: true });
          continue;
        }
        const { labels, rest } = splitSeriesLine(l.text);
        expected.push({ labels, points: expandSeries(rest), scalar: false });
      }
      out.push({
        kind: 'eval',
        line: lineNo,
        source: trimmed,
        query: ev[7]!,
        instant,
        startMs,
        endMs,
        stepMs,
        expectations,
        expected,
        rawExpected,
      });
      continue;
    }
    throw new Error(`line ${lineNo}: cannot parse ${JSON.stringify(trimmed)}`);
  }
  return out;
}

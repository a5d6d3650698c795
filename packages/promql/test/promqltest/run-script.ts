import { METRIC_NAME, STALE_NAN, formatLabels, getLabel, labelsEqual, type Labels } from '@tally/model';
import { MemoryStorage } from '@tally/storage';
import { Engine } from '../../src/engine/engine.js';
import type { QueryResult } from '../../src/engine/result.js';
import { formatGoFloat } from '../../src/engine/format-float.js';
import { parseScript, type EvalCommand, type Expectation } from './parse-script.js';
import { SKIPPED_EVALS, SKIP_DURATION_EXPRESSION, SKIP_NATIVE_HISTOGRAM } from './skip-list.js';

// step(), range(), start(), end() as values and min_of()/max_of() belong to duration expressions.
const DURATION_FUNCTIONS = /(?<!@\s*)\b(step|range|start|end|min_of|max_of)\(/;

export interface EvalOutcome {
  readonly line: number;
  readonly source: string;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly message?: string;
}

/** promqltest compares floats with a relative tolerance of 1e-6; two NaNs are equal. */
function almostEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  const minNormal = 2.2250738585072014e-308;
  if (a === 0 || b === 0 || absSum < minNormal) return diff < 1e-6 * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < 1e-6;
}

const show = (labels: Labels): string => formatLabels(labels);

function checkAnnotations(kind: 'warn' | 'info', got: string[], exps: Expectation[]): string | undefined {
  const mine = exps.filter((e) => e.type === kind);
  if (exps.some((e) => e.type === `no_${kind}`) && got.length > 0)
    return `unexpected ${kind} annotations: ${got.join(' | ')}`;
  if (mine.length === 0) return undefined;
  const matches = (e: Expectation, a: string): boolean =>
    !e.match ? true : e.match.kind === 'msg' ? a === e.match.text : new RegExp(e.match.text).test(a);
  for (const e of mine)
    if (!got.some((a) => matches(e, a)))
      return `expected ${kind} ${e.match ? JSON.stringify(e.match.text) : ''} not found in [${got.join(' | ')}]`;
  if (!mine.some((e) => !e.match)) {
    for (const a of got) if (!mine.some((e) => matches(e, a))) return `unexpected ${kind} annotation: ${a}`;
  }
  return undefined;
}

function compareResult(ev: EvalCommand, result: QueryResult): string | undefined {
  const ordered = ev.expectations.some((e) => e.type === 'ordered');
  const str = ev.expectations.find((e) => e.type === 'string');
  if (str) {
    if (result.resultType !== 'string') return `expected string, got ${result.resultType}`;
    return result.result.value === str.text
      ? undefined
      : `expected string ${JSON.stringify(str.text)}, got ${JSON.stringify(result.result.value)}`;
  }
  if (result.resultType === 'string') return ev.expected.length === 0 ? undefined : 'got a string result';
  if (result.resultType === 'scalar') {
    const exp = ev.expected[0];
    if (!exp || !exp.scalar)
      return `expected ${ev.expected.length} series, got scalar ${formatGoFloat(result.result.value)}`;
    const p = exp.points[0];
    if (p?.kind !== 'value') return 'bad expected scalar';
    return almostEqual(p.value, result.result.value)
      ? undefined
      : `expected scalar ${p.value}, got ${formatGoFloat(result.result.value)}`;
  }
  // Expected points per series, with times.
  const rangeExp = ev.expectations.find((e) => e.type === 'range')?.range;
  const times = (n: number): number[] => {
    if (ev.instant && !rangeExp) return [ev.startMs];
    const start = rangeExp ? rangeExp.startMs : ev.startMs;
    const step = rangeExp ? rangeExp.stepMs : ev.stepMs;
    return Array.from({ length: n }, (_, i) => start + i * step);
  };
  const got: { labels: Labels; points: Map<number, number> }[] =
    result.resultType === 'vector'
      ? result.result.map((s) => ({ labels: s.metric, points: new Map([[s.timestampMs, s.value]]) }))
      : result.result.map((s) => ({
          labels: s.metric,
          points: new Map(s.timestampsMs.map((t, i) => [t, s.values[i]!])),
        }));
  if (ev.instant && !rangeExp && result.resultType === 'matrix')
    return 'expected an instant vector, got a range vector';
  const expected = ev.expected.filter((e) => e.points.some((p) => p.kind !== 'missing'));
  if (expected.some((e) => e.scalar)) return `expected a scalar, got ${result.resultType}`;
  if (got.length !== expected.length)
    return `expected ${expected.length} series, got ${got.length}: ${got.map((g) => show(g.labels)).join(', ')}`;
  for (let k = 0; k < expected.length; k++) {
    const exp = expected[k]!;
    const idx = ordered
      ? labelsEqual(got[k]!.labels, exp.labels)
        ? k
        : -1
      : got.findIndex((g) => labelsEqual(g.labels, exp.labels));
    if (idx < 0)
      return `${ordered ? 'ordered ' : ''}series ${show(exp.labels)} not found in result: ${got.map((g) => show(g.labels)).join(', ')}`;
    const g = got[idx]!;
    const ts = times(exp.points.length);
    let n = 0;
    for (let i = 0; i < exp.points.length; i++) {
      const p = exp.points[i]!;
      const actual = g.points.get(ts[i]!);
      if (p.kind === 'missing') {
        if (actual !== undefined)
          return `${show(exp.labels)} at ${ts[i]! / 1000}s: expected no value, got ${formatGoFloat(actual)}`;
        continue;
      }
      if (p.kind !== 'value') return 'unsupported expected point';
      n++;
      if (actual === undefined)
        return `${show(exp.labels)} at ${ts[i]! / 1000}s: expected ${p.value}, got no value`;
      if (!almostEqual(p.value, actual))
        return `${show(exp.labels)} at ${ts[i]! / 1000}s: expected ${p.value}, got ${formatGoFloat(actual)}`;
    }
    if (g.points.size !== n) return `${show(exp.labels)}: expected ${n} points, got ${g.points.size}`;
  }
  return undefined;
}

function mentions(query: string, names: ReadonlySet<string>): boolean {
  for (const n of names)
    if (
      new RegExp(`(^|[^A-Za-z0-9_:])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_:]|$)`).test(
        query,
      )
    )
      return true;
  return false;
}

/** Runs one promqltest script against a fresh {@link MemoryStorage} and {@link Engine}. */
export async function runScript(text: string, fileName: string): Promise<EvalOutcome[]> {
  const commands = parseScript(text);
  const outcomes: EvalOutcome[] = [];
  let storage = new MemoryStorage();
  let histogramNames = new Set<string>();
  const engine = new Engine();
  for (const cmd of commands) {
    if (cmd.kind === 'clear') {
      await storage.close();
      storage = new MemoryStorage();
      histogramNames = new Set();
      continue;
    }
    if (cmd.kind === 'load') {
      const app = storage.appender();
      for (const s of cmd.series) {
        // load_with_nhcb also creates a native histogram (custom buckets) named without `_bucket`.
        const name = getLabel(s.labels, METRIC_NAME) ?? '';
        if (cmd.withNhcb && name.endsWith('_bucket')) histogramNames.add(name.slice(0, -'_bucket'.length));
        if (s.points.some((p) => p.kind === 'histogram')) {
          histogramNames.add(getLabel(s.labels, METRIC_NAME) ?? '');
          continue;
        }
        s.points.forEach((p, i) => {
          if (p.kind === 'value') app.append(s.labels, i * cmd.intervalMs, p.value);
          else if (p.kind === 'stale') app.append(s.labels, i * cmd.intervalMs, STALE_NAN);
        });
      }
      await app.commit();
      continue;
    }
    const ev = cmd;
    const key = `${fileName}:${ev.line}`;
    const skipReason =
      SKIPPED_EVALS[key] ??
      (DURATION_FUNCTIONS.test(ev.query) ? SKIP_DURATION_EXPRESSION : undefined) ??
      (ev.rawExpected.some((l) => l.includes('{{')) || mentions(ev.query, histogramNames)
        ? SKIP_NATIVE_HISTOGRAM
        : undefined);
    if (skipReason) {
      outcomes.push({ line: ev.line, source: ev.source, status: 'skip', message: skipReason });
      continue;
    }
    const factory = (a: number, b: number): ReturnType<MemoryStorage['querier']> => storage.querier(a, b);
    const failExp = ev.expectations.find((e) => e.type === 'fail');
    let result: QueryResult | undefined;
    let error: Error | undefined;
    try {
      result = ev.instant
        ? await engine.instantQuery(factory, ev.query, ev.startMs)
        : await engine.rangeQuery(factory, ev.query, ev.startMs, ev.endMs, ev.stepMs);
    } catch (err) {
      error = err as Error;
    }
    let message: string | undefined;
    if (failExp) {
      if (!error) message = 'expected the query to fail, it succeeded';
      else if (failExp.match?.kind === 'msg' && error.message !== failExp.match.text)
        message = `expected error ${JSON.stringify(failExp.match.text)}, got ${JSON.stringify(error.message)}`;
      else if (failExp.match?.kind === 'regex' && !new RegExp(failExp.match.text).test(error.message))
        message = `expected error matching ${failExp.match.text}, got ${JSON.stringify(error.message)}`;
    } else if (error) message = `unexpected error: ${error.message}`;
    else if (result) {
      message =
        compareResult(ev, result) ??
        checkAnnotations('warn', result.warnings, ev.expectations) ??
        checkAnnotations('info', result.infos, ev.expectations);
    }
    outcomes.push({
      line: ev.line,
      source: ev.source,
      status: message ? 'fail' : 'pass',
      ...(message ? { message } : {}),
    });
  }
  return outcomes;
}

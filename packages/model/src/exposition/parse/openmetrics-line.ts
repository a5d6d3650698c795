// One line of OpenMetrics 1.0 text (the ABNF of the OpenMetrics specification): exactly one
// space between tokens, no other whitespace, `# HELP|TYPE|UNIT name text` or `# EOF` as the
// only comments, samples `name{labels} value [timestamp] [# {labels} value [timestamp]]`.
// Also accepted, as Prometheus does: the quoted name syntax `{"my-metric",a="b"}` and quoted
// label names, so names that follow the seed rule (with `-`) survive a round trip.
import { parseFloatToken, parseRealToken } from '../number.js';
import { COMMA, EQUALS, HASH, LBRACE, LineCursor, QUOTE, RBRACE, SPACE } from './line-cursor.js';
import type { OpenMetricsFamilyBuilder } from './openmetrics-families.js';
import { LabelNameIndex } from './labels-builder.js';
import { quote } from './parse-error.js';

/** The parsed parts of one sample line, reused from line to line. */
export interface OpenMetricsRawSample {
  name: string;
  nameAt: number;
  /** Flat label pairs `[n0, v0, …]`, as written. */
  readonly pairs: string[];
  /** Index of each label value's opening quote, for errors. */
  readonly valueAt: number[];
  value: number;
  /** Timestamp in seconds, as written (OpenMetrics timestamps are seconds). */
  timestampSeconds: number | undefined;
  hasExemplar: boolean;
  exemplarAt: number;
  readonly exemplarPairs: string[];
  exemplarValue: number;
  exemplarTimestampSeconds: number | undefined;
}

/** OpenMetrics: the label names and values of an exemplar hold at most 128 code points. */
const EXEMPLAR_MAX_CODE_POINTS = 128;

export class OpenMetricsLineParser {
  private readonly cur = new LineCursor();
  private readonly seen = new LabelNameIndex();
  /** The previous sample's names, reused when repeated (see LineCursor.readNameLike). */
  private lastName: string | undefined;
  private readonly lastLabelNames: string[] = [];
  private readonly lastLabelValues: (string | undefined)[] = [];
  private readonly raw: OpenMetricsRawSample = {
    name: '',
    nameAt: 0,
    pairs: [],
    valueAt: [],
    value: 0,
    timestampSeconds: undefined,
    hasExemplar: false,
    exemplarAt: 0,
    exemplarPairs: [],
    exemplarValue: 0,
    exemplarTimestampSeconds: undefined,
  };

  constructor(private readonly builder: OpenMetricsFamilyBuilder) {}

  parseLine(text: string, start: number, end: number, line: number): void {
    const cur: LineCursor = this.cur;
    cur.reset(text, start, end, line);
    if (start === end) cur.fail('blank line (OpenMetrics allows none)');
    if (cur.peek() === HASH) this.metadata();
    else this.sample();
  }

  private metadata(): void {
    const cur: LineCursor = this.cur;
    if (cur.end - cur.pos === 5 && cur.text.startsWith('# EOF', cur.pos)) {
      this.builder.eof(cur);
      return;
    }
    cur.pos++;
    if (cur.peek() !== SPACE)
      cur.fail("expected '# HELP', '# TYPE', '# UNIT' or '# EOF' (OpenMetrics has no other comments)");
    cur.pos++;
    const keywordAt = cur.pos;
    const keyword = cur.readName(false);
    if (keyword !== 'HELP' && keyword !== 'TYPE' && keyword !== 'UNIT') {
      cur.fail(
        `unknown metadata keyword ${quote(keyword || cur.rest())} (expected HELP, TYPE, UNIT or EOF)`,
        keywordAt,
      );
    }
    if (cur.peek() !== SPACE) cur.fail(`expected a space and a metric name after ${keyword}`);
    cur.pos++;
    const nameAt = cur.pos;
    const name = cur.peek() === QUOTE ? cur.readQuoted('metric name', 'error') : cur.readName(true);
    if (name === '') cur.fail(`expected a metric name after ${keyword}`, nameAt);
    if (cur.peek() !== SPACE) {
      cur.fail(
        cur.atEnd()
          ? `expected a space and the ${keyword === 'HELP' ? 'help text' : keyword === 'TYPE' ? 'metric type' : 'unit'} after ${quote(name)}`
          : `invalid character ${quote(cur.text[cur.pos]!)} in metric name`,
      );
    }
    cur.pos++;
    this.builder.metadata(keyword, name, nameAt, cur);
  }

  private sample(): void {
    const cur: LineCursor = this.cur;
    const raw = this.raw;
    raw.pairs.length = 0;
    raw.valueAt.length = 0;
    raw.nameAt = cur.pos;
    raw.hasExemplar = false;
    raw.timestampSeconds = undefined;
    raw.exemplarTimestampSeconds = undefined;
    if (cur.peek() === LBRACE) {
      raw.name = this.labels(raw.pairs, raw.valueAt, true);
    } else {
      raw.name = cur.readNameLike(true, this.lastName);
      if (raw.name === '') cur.fail('invalid metric name');
      this.lastName = raw.name;
      const c = cur.peek();
      if (c === LBRACE) this.labels(raw.pairs, raw.valueAt, false);
      else if (c !== SPACE && c !== -1) {
        cur.fail(
          `invalid character ${quote(cur.text[cur.pos]!)} in metric name (other names are written quoted: {"my-name"})`,
        );
      }
    }
    this.expectSpace('after the metric name and labels', 'missing value');
    const valueAt = cur.pos;
    const valueText = this.token();
    const value = parseFloatToken(valueText);
    if (value === undefined) cur.fail(`invalid value ${quote(valueText)}`, valueAt);
    raw.value = value;
    if (!cur.atEnd()) {
      cur.pos++; // the space
      if (cur.peek() !== HASH) {
        raw.timestampSeconds = this.timestamp('timestamp');
        if (!cur.atEnd()) {
          cur.pos++;
          if (cur.peek() !== HASH) cur.fail('expected " # " and an exemplar after the timestamp');
        }
      }
      if (!cur.atEnd()) this.exemplar();
    }
    this.builder.sample(raw, cur);
  }

  /** ` # {labels} value [timestamp]`, from the `#`. */
  private exemplar(): void {
    const cur: LineCursor = this.cur;
    const raw = this.raw;
    raw.hasExemplar = true;
    raw.exemplarAt = cur.pos;
    cur.pos++; // #
    if (cur.peek() !== SPACE) cur.fail('expected a space after "#" before the exemplar');
    cur.pos++;
    if (cur.peek() !== LBRACE) cur.fail("expected '{' to open the exemplar's labels");
    raw.exemplarPairs.length = 0;
    const labelsAt = cur.pos;
    this.labels(raw.exemplarPairs, undefined, false);
    let codePoints = 0;
    for (const s of raw.exemplarPairs) for (const _ of s) codePoints++;
    if (codePoints > EXEMPLAR_MAX_CODE_POINTS) {
      cur.fail(
        `exemplar labels hold ${codePoints} characters, more than ${EXEMPLAR_MAX_CODE_POINTS}`,
        labelsAt,
      );
    }
    this.expectSpace('after the exemplar labels', 'missing exemplar value');
    const valueAt = cur.pos;
    const valueText = this.token();
    const value = parseFloatToken(valueText);
    if (value === undefined) cur.fail(`invalid exemplar value ${quote(valueText)}`, valueAt);
    raw.exemplarValue = value;
    if (!cur.atEnd()) {
      cur.pos++;
      raw.exemplarTimestampSeconds = this.timestamp('exemplar timestamp');
      if (!cur.atEnd()) cur.fail('unexpected text after the exemplar timestamp');
    }
  }

  private timestamp(what: string): number {
    const cur: LineCursor = this.cur;
    const at = cur.pos;
    const text = this.token();
    const ts = parseRealToken(text);
    if (ts === undefined) cur.fail(`invalid ${what} ${quote(text)}`, at);
    return ts;
  }

  /** Up to the next space or the end of the line. */
  private token(): string {
    const cur: LineCursor = this.cur;
    const start = cur.pos;
    let i = start;
    while (i < cur.end && cur.text.charCodeAt(i) !== SPACE) i++;
    cur.pos = i;
    return cur.text.slice(start, i);
  }

  private expectSpace(where: string, ifEnd: string): void {
    const cur: LineCursor = this.cur;
    const c = cur.peek();
    if (c === SPACE) {
      cur.pos++;
      return;
    }
    cur.fail(c === -1 ? ifEnd : `expected a space ${where}, found ${quote(cur.text[cur.pos]!)}`);
  }

  /**
   * `{a="1",b="2"}` into `pairs`. With `nameFirst`, the set opens with a quoted metric name
   * (`{"my-metric",a="1"}`), which is returned.
   */
  private labels(pairs: string[], valueAt: number[] | undefined, nameFirst: boolean): string {
    const cur: LineCursor = this.cur;
    cur.pos++; // {
    this.seen.clear();
    let metricName = '';
    if (nameFirst) {
      if (cur.peek() !== QUOTE) cur.fail('invalid metric name');
      metricName = cur.readQuoted('metric name', 'error');
      if (metricName === '') cur.fail('empty metric name', cur.pos - 2);
      const c = cur.peek();
      if (c === RBRACE) {
        cur.pos++;
        return metricName;
      }
      if (c !== COMMA) cur.fail("expected ',' or '}' after the metric name");
      cur.pos++;
    }
    if (cur.peek() === RBRACE) {
      cur.pos++;
      return metricName;
    }
    for (;;) {
      const nameAt = cur.pos;
      const name =
        cur.peek() === QUOTE
          ? cur.readQuoted('label name', 'error')
          : cur.readNameLike(false, this.lastLabelNames[pairs.length >> 1]);
      if (valueAt !== undefined) this.lastLabelNames[pairs.length >> 1] = name;
      if (name === '') cur.fail('invalid label name', nameAt);
      if (name === '__name__') cur.fail('label name "__name__" is reserved', nameAt);
      if (this.seen.has(pairs, name)) cur.fail(`duplicate label name ${quote(name)}`, nameAt);
      if (cur.peek() !== EQUALS) cur.fail(`expected '=' after label name ${quote(name)}`);
      cur.pos++;
      if (cur.peek() !== QUOTE) cur.fail(`expected '"' to open the value of label ${quote(name)}`);
      valueAt?.push(cur.pos);
      // Unknown escapes are kept as written, as Python's reference parser does (the
      // OpenMetrics test suite's label_escaping case has `\f`).
      const li = pairs.length >> 1;
      const quoteAt = cur.pos;
      const value = cur.readQuotedLike('label value', 'keep', valueAt && this.lastLabelValues[li]);
      if (valueAt !== undefined)
        this.lastLabelValues[li] = cur.lastQuotedWasPlain(quoteAt, value) ? value : undefined;
      pairs.push(name, value);
      const c = cur.peek();
      cur.pos++;
      if (c === RBRACE) return metricName;
      if (c !== COMMA) cur.fail("expected ',' or '}' after a label value", cur.pos - 1);
      if (cur.peek() === RBRACE) {
        cur.pos++;
        return metricName;
      }
    }
  }
}

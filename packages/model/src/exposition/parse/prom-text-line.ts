// One line of the Prometheus text format 0.0.4, as prometheus/common expfmt's TextParser reads
// it (expfmt/text_parse.go): blanks and tabs around tokens, `#` comments of which only
// `# HELP name text` and `# TYPE name type` mean anything, samples `name{labels} value [ts]`
// with the UTF-8 name syntax `{"my.metric", "label.name"="v"}`. Error wording follows
// expfmt's so the corpus can check it.
import type { Labels } from '../../labels.js';
import { isValidLabelName, isValidMetricName } from '../../names.js';
import { parseFloatToken, parseIntToken } from '../number.js';
import { LabelNameIndex } from './labels-builder.js';
import { quote } from './parse-error.js';
import { COMMA, EQUALS, HASH, LBRACE, LineCursor, QUOTE, RBRACE, SPACE, TAB } from './line-cursor.js';
import type { PromTextFamilyBuilder } from './prom-text-families.js';
import { seriesTextEnd, type CachedSeries, type SeriesTextCache } from './series-text-cache.js';

/** Which metric and label names a 0.0.4 parser accepts. */
export type NameValidation = 'utf8' | 'legacy';

export class PromTextLineParser {
  private readonly cur = new LineCursor();
  /** Flat label pairs of the current sample, reused line after line. */
  private readonly pairs: string[] = [];
  /** Start index of each pair's value (for errors), parallel to `pairs` / 2. */
  private readonly valueAt: number[] = [];
  private readonly seen = new LabelNameIndex();
  /** The previous line's names, reused when repeated (see LineCursor.readNameLike). */
  private lastName: string | undefined;
  private readonly lastLabelNames: string[] = [];
  private readonly lastLabelValues: (string | undefined)[] = [];
  /** The cache entry of the previous sample line, if it had one (see SeriesTextCache.find). */
  private lastEntry: CachedSeries | undefined;

  constructor(
    private readonly builder: PromTextFamilyBuilder,
    private readonly names: NameValidation,
    private readonly cache?: SeriesTextCache,
  ) {}

  parseLine(text: string, start: number, end: number, line: number): void {
    const cur: LineCursor = this.cur;
    cur.reset(text, start, end, line);
    cur.skipBlanks();
    const c = cur.peek();
    if (c === -1) return;
    if (c === HASH) this.comment();
    else this.sample();
  }

  private comment(): void {
    const cur: LineCursor = this.cur;
    cur.pos++;
    cur.skipBlanks();
    if (cur.atEnd()) return;
    const keyword = cur.readToken();
    if (cur.atEnd() || (keyword !== 'HELP' && keyword !== 'TYPE')) return;
    cur.skipBlanks();
    const nameAt = cur.pos;
    const name = this.readMetricName();
    if (cur.atEnd()) return; // `# HELP name` with nothing after it is a plain comment.
    const c = cur.peek();
    if (c !== SPACE && c !== TAB) cur.fail('invalid metric name in comment', cur.pos);
    this.checkMetricName(name, nameAt);
    cur.skipBlanks();
    this.builder.metadata(keyword, name, cur);
  }

  private sample(): void {
    const cur: LineCursor = this.cur;
    const cache = this.cache;
    const start = cur.pos;
    let cachedEnd = -1;
    const after = this.lastEntry;
    this.lastEntry = undefined;
    if (cache !== undefined) {
      cachedEnd = seriesTextEnd(cur.text, start, cur.end);
      const hit = cachedEnd < 0 ? undefined : cache.find(cur.text, start, cachedEnd, after);
      if (hit !== undefined) {
        this.lastEntry = hit;
        cur.pos = cachedEnd;
        this.valueAndTimestamp(
          hit.name,
          start + hit.nameOffset,
          hit.pairs,
          hit.valueOffsets,
          start,
          hit.labels,
        );
        return;
      }
    }
    const pairs = this.pairs;
    pairs.length = 0;
    this.valueAt.length = 0;
    this.nameAtInBraces = -1;
    let name = '';
    let nameAt = cur.pos;
    let seriesEnd: number;
    if (cur.peek() === LBRACE) {
      name = this.labels(true);
      seriesEnd = cur.pos;
    } else {
      name = this.readMetricName();
      if (name === '') cur.fail('invalid metric name');
      this.checkMetricName(name, nameAt);
      seriesEnd = cur.pos;
      cur.skipBlanks();
      if (cur.peek() === LBRACE) {
        this.labels(false, name);
        seriesEnd = cur.pos;
      }
    }
    if (name === '') cur.fail('invalid metric name', nameAt);
    if (this.nameAtInBraces >= 0) nameAt = this.nameAtInBraces;
    if (cache !== undefined && seriesEnd === cachedEnd) {
      // Copied into the cache first, so the sample shares the entry's labels.
      const entry = cache.add(cur.text, start, seriesEnd, name, nameAt, pairs, this.valueAt, after);
      this.lastEntry = entry;
      this.valueAndTimestamp(entry.name, nameAt, entry.pairs, this.valueAt, 0, entry.labels);
    } else {
      this.valueAndTimestamp(name, nameAt, pairs, this.valueAt, 0, undefined);
    }
  }

  /**
   * The rest of a sample line after its series part: value, optional timestamp, nothing more.
   * Label value `i` starts at `labelValueBase + labelValueAt[i]` (for errors).
   */
  private valueAndTimestamp(
    name: string,
    nameAt: number,
    pairs: readonly string[],
    labelValueAt: readonly number[],
    labelValueBase: number,
    labels: Labels | undefined,
  ): void {
    const cur: LineCursor = this.cur;
    cur.skipBlanks();
    const valueAt = cur.pos;
    cur.skipToken();
    const value = parseFloatToken(cur.text, valueAt, cur.pos);
    if (value === undefined) {
      cur.fail(`expected float as value, got ${quote(cur.text.slice(valueAt, cur.pos))}`, valueAt);
    }
    let timestampMs: number | undefined;
    if (!cur.atEnd()) {
      cur.skipBlanks();
      const tsAt = cur.pos;
      const tsText = cur.readToken();
      timestampMs = parseIntToken(tsText);
      if (timestampMs === undefined) cur.fail(`expected integer as timestamp, got ${quote(tsText)}`, tsAt);
      if (!cur.atEnd()) {
        const at = cur.pos;
        cur.fail(`spurious string after timestamp: ${quote(cur.rest())}`, at);
      }
    }
    this.builder.sample(name, nameAt, pairs, labelValueAt, labelValueBase, value, timestampMs, cur, labels);
  }

  private nameAtInBraces = -1;

  /**
   * Reads `{…}` and fills `pairs`. In braces mode (the line starts with `{`) a bare quoted or
   * unquoted token without `=` is the metric name, which is returned.
   */
  private labels(bracesMode: boolean, knownName = ''): string {
    const cur: LineCursor = this.cur;
    const pairs = this.pairs;
    let metricName = knownName;
    this.nameAtInBraces = -1;
    this.seen.clear();
    cur.pos++; // {
    for (;;) {
      cur.skipBlanks();
      if (cur.peek() === RBRACE) break;
      const nameAt = cur.pos;
      const labelName = this.readLabelName();
      if (labelName === undefined) {
        cur.fail(`invalid label name for metric ${quote(metricName)}`);
      }
      cur.skipBlanks();
      const c = cur.peek();
      if (c !== EQUALS) {
        if (bracesMode) {
          if (metricName !== '') cur.fail(`multiple metric names for metric ${quote(metricName)}`, nameAt);
          if (c === COMMA || c === RBRACE) {
            this.checkMetricName(labelName, nameAt);
            metricName = labelName;
            this.nameAtInBraces = nameAt;
            if (c === COMMA) cur.pos++;
            continue;
          }
          cur.fail(`unexpected end of metric name ${quote(c === -1 ? '\n' : String.fromCharCode(c))}`);
        }
        cur.fail(`expected '=' after label name, found ${quote(c === -1 ? '\n' : String.fromCharCode(c))}`);
      }
      if (labelName === '__name__') cur.fail('label name "__name__" is reserved', nameAt);
      if (this.names === 'legacy' ? !isValidLabelName(labelName) : labelName === '') {
        cur.fail(`invalid label name ${quote(labelName)}`, nameAt);
      }
      if (this.seen.has(pairs, labelName))
        cur.fail(`duplicate label names for metric ${quote(metricName)}`, nameAt);
      cur.pos++; // =
      cur.skipBlanks();
      if (cur.peek() !== QUOTE) {
        const c2 = cur.peek();
        cur.fail(
          `expected '"' at start of label value, found ${quote(c2 === -1 ? '\n' : String.fromCharCode(c2))}`,
        );
      }
      this.valueAt.push(cur.pos);
      const li = pairs.length >> 1;
      const quoteAt = cur.pos;
      const value = cur.readQuotedLike('label value', 'error', this.lastLabelValues[li]);
      this.lastLabelValues[li] = cur.lastQuotedWasPlain(quoteAt, value) ? value : undefined;
      pairs.push(labelName, value);
      cur.skipBlanks();
      const sep = cur.peek();
      if (sep === COMMA) {
        cur.pos++;
        continue;
      }
      if (sep === RBRACE) break;
      cur.fail(`unexpected end of label value ${quote(value)}`);
    }
    cur.pos++; // }
    return metricName;
  }

  /** An unquoted `[a-zA-Z_:][a-zA-Z0-9_:]*` or quoted metric name; '' when none starts here. */
  private readMetricName(): string {
    const cur: LineCursor = this.cur;
    if (cur.peek() === QUOTE) return cur.readQuoted('metric name', 'error');
    return (this.lastName = cur.readNameLike(true, this.lastName));
  }

  /** A label name, unquoted or quoted; `undefined` when none starts here. */
  private readLabelName(): string | undefined {
    const cur: LineCursor = this.cur;
    if (cur.peek() === QUOTE) return cur.readQuoted('label name', 'error');
    const i = this.pairs.length >> 1;
    const name = cur.readNameLike(false, this.lastLabelNames[i]);
    if (name === '') return undefined;
    this.lastLabelNames[i] = name;
    return name;
  }

  private checkMetricName(name: string, at: number): void {
    if (this.names === 'legacy' ? !isValidMetricName(name) : name === '') {
      this.cur.fail(`invalid metric name ${quote(name)}`, at);
    }
  }
}

import type { MetricFamily } from '../../metric-family.js';
import { LineFeeder } from './line-feeder.js';
import { ExpositionParseError } from './parse-error.js';
import { PromTextFamilyBuilder } from './prom-text-families.js';
import { PromTextLineParser, type NameValidation } from './prom-text-line.js';
import type { SeriesTextCache } from './series-text-cache.js';

export interface PrometheusTextParseOptions {
  /**
   * `'utf8'` (default) accepts any non-empty metric and label name in the quoted syntax
   * `{"my-metric","label.name"="v"}`, as Prometheus 3 does; `'legacy'` only
   * `[a-zA-Z_:][a-zA-Z0-9_:]*` metric and `[a-zA-Z_][a-zA-Z0-9_]*` label names.
   */
  readonly nameValidation?: NameValidation;
  /** Refuse input with more samples than this (default: no limit). */
  readonly maxSamples?: number;
  /**
   * Series text remembered from earlier parses (see {@link SeriesTextCache}): lines whose series
   * part was seen before skip reading labels and share its `Labels` object. Pass the same
   * cache for inputs that repeat series, such as successive pushes of one group.
   */
  readonly seriesCache?: SeriesTextCache;
}

/**
 * An incremental parser of the Prometheus text format 0.0.4: `write` chunks (strings or UTF-8
 * bytes, split anywhere) as they arrive, then `end()` for the families. Lines are parsed as soon
 * as they are complete; the first bad line throws an {@link ExpositionParseError}.
 */
export class PrometheusTextParser {
  private readonly builder: PromTextFamilyBuilder;
  private readonly feeder: LineFeeder;
  private readonly lines: PromTextLineParser;

  constructor(options: PrometheusTextParseOptions = {}) {
    this.builder = new PromTextFamilyBuilder({ maxSamples: options.maxSamples ?? Infinity });
    const names = options.nameValidation ?? 'utf8';
    options.seriesCache?.useFor(names);
    const lines = new PromTextLineParser(this.builder, names, options.seriesCache);
    this.lines = lines;
    this.feeder = new LineFeeder((text, start, end, line) => lines.parseLine(text, start, end, line));
  }

  write(chunk: string | Uint8Array): void {
    this.feeder.write(chunk);
  }

  end(): MetricFamily[] {
    const rest = this.feeder.finish();
    const line = this.feeder.lineCount + 1;
    // expfmt: the input must end with a newline. A last line without one is still parsed first,
    // so a bad line reports its own error, as expfmt (reading byte by byte) does.
    for (let i = 0; i < rest.length; i++) {
      const c = rest.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09) {
        this.lines.parseLine(rest, 0, rest.length, line);
        throw new ExpositionParseError('unexpected end of input stream', line, rest.length + 1);
      }
    }
    return this.builder.finish();
  }
}

/**
 * Parses the Prometheus text format 0.0.4 into metric families, with prometheus/common expfmt's
 * rules (see the package README). Throws {@link ExpositionParseError} naming line and column.
 */
export function parsePrometheusText(
  input: string | Uint8Array,
  options?: PrometheusTextParseOptions,
): MetricFamily[] {
  const parser = new PrometheusTextParser(options);
  parser.write(input);
  return parser.end();
}

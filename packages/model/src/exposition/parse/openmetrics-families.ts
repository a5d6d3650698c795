// Groups OpenMetrics lines into families and applies the format's rules: metadata before a
// family's samples, families contiguous and never clashing, sample names allowed by the type,
// the value rules of each type, series groups contiguous with timestamps that never go back,
// and exemplars only where allowed. Rules and their order follow the OpenMetrics 1.0 spec and
// Python's reference parser (prometheus_client/openmetrics/parser.py).
import type { ExposedSample, MetricFamily, MetricType } from '../../metric-family.js';
import type { Labels } from '../../labels.js';
import { parseFloatToken } from '../number.js';
import { LabelSetBuilder, labelsFromParsedPairs, pairIndex } from './labels-builder.js';
import type { LineCursor } from './line-cursor.js';
import { HistogramGroupCheck } from './openmetrics-histogram-check.js';
import type { OpenMetricsRawSample } from './openmetrics-line.js';
import { SeriesGroups } from './series-groups.js';
import { quote } from './parse-error.js';

const SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
  counter: ['_total', '_created'],
  summary: ['', '_count', '_sum', '_created'],
  histogram: ['_count', '_sum', '_bucket', '_created'],
  gaugehistogram: ['_gcount', '_gsum', '_bucket'],
  info: ['_info'],
  gauge: [''],
  stateset: [''],
  unknown: [''],
};
const NO_LABELS: Labels = [];
const COUNTER_LIKE = new Set(['_total', '_sum', '_count', '_bucket', '_gcount', '_gsum']);

interface FamilyState {
  readonly name: string;
  type: MetricType | undefined;
  help: string | undefined;
  unit: string | undefined;
  readonly samples: ExposedSample[];
  histogram: HistogramGroupCheck | undefined;
}

export class OpenMetricsFamilyBuilder {
  private readonly families: MetricFamily[] = [];
  private readonly seenNames = new Set<string>();
  private current: FamilyState | undefined;
  private readonly groups = new SeriesGroups();
  private readonly labelSets = new LabelSetBuilder();
  private groupTimestamp: number | undefined;
  private sampleCount = 0;
  eofSeen = false;

  constructor(private readonly maxSamples: number) {}

  eof(_cur: LineCursor): void {
    this.finishFamily();
    this.eofSeen = true;
  }

  metadata(keyword: 'HELP' | 'TYPE' | 'UNIT', name: string, nameAt: number, cur: LineCursor): void {
    let f = this.current;
    if (f?.name === name) {
      if (f.samples.length > 0) cur.fail(`${keyword} for ${quote(name)} after its samples`, nameAt);
    } else {
      f = this.startFamily(name, nameAt, cur);
    }
    const at = cur.pos;
    if (keyword === 'HELP') {
      if (f.help !== undefined) cur.fail(`second HELP line for ${quote(name)}`, nameAt);
      f.help = cur.readHelpText('keep');
    } else if (keyword === 'TYPE') {
      if (f.type !== undefined) cur.fail(`second TYPE line for ${quote(name)}`, nameAt);
      const text = cur.rest();
      if (!Object.hasOwn(SUFFIXES, text)) {
        cur.fail(
          `invalid metric type ${quote(text)}${text === 'untyped' ? ' (OpenMetrics calls it unknown)' : ''}`,
          at,
        );
      }
      const type = text as MetricType;
      if (f.unit !== undefined && f.unit !== '' && (type === 'info' || type === 'stateset')) {
        cur.fail(`a ${type} family cannot have a unit`, at);
      }
      f.type = type;
      for (const suffix of SUFFIXES[type]) if (suffix !== '') this.claim(name + suffix, nameAt, cur);
      if (type === 'histogram' || type === 'gaugehistogram')
        f.histogram = new HistogramGroupCheck(name, type === 'gaugehistogram');
    } else {
      if (f.unit !== undefined) cur.fail(`second UNIT line for ${quote(name)}`, nameAt);
      const unit = cur.rest();
      if (unit !== '' && !name.endsWith(`_${unit}`)) {
        cur.fail(`unit ${quote(unit)} is not the suffix of the metric name ${quote(name)}`, at);
      }
      if (unit !== '' && (f.type === 'info' || f.type === 'stateset'))
        cur.fail(`a ${f.type} family cannot have a unit`, at);
      f.unit = unit;
    }
  }

  sample(raw: OpenMetricsRawSample, cur: LineCursor): void {
    if (++this.sampleCount > this.maxSamples) cur.fail(`more than ${this.maxSamples} samples`, raw.nameAt);
    let f = this.current;
    if (f === undefined || !isAllowed(f, raw.name)) {
      if (f?.name === raw.name) {
        const names = SUFFIXES[f.type ?? 'unknown'].map((s) => f!.name + s).join(', ');
        cur.fail(
          `sample name ${quote(raw.name)} is not allowed in ${f.type ?? 'unknown'} family ${quote(f.name)} (expected ${names})`,
          raw.nameAt,
        );
      }
      f = this.startFamily(raw.name, raw.nameAt, cur);
    }
    f.type ??= 'unknown';
    const type = f.type;
    const suffix = raw.name.slice(f.name.length);
    const { pairs, value } = raw;
    let le = NaN;
    if (type === 'stateset' && pairIndex(pairs, f.name) < 0) {
      cur.fail(`stateset sample without a label named ${quote(f.name)}`, raw.nameAt);
    }
    if (suffix === '_bucket') {
      const i = pairIndex(pairs, 'le');
      const bound = i >= 0 ? parseFloatToken(pairs[i]!) : undefined;
      if (bound === undefined || Number.isNaN(bound) || (bound === Infinity && pairs[i] !== '+Inf')) {
        cur.fail(
          i < 0 ? 'bucket without an le label' : `invalid le label ${quote(pairs[i]!)}`,
          i < 0 ? raw.nameAt : raw.valueAt[(i - 1) / 2],
        );
      }
      le = bound;
      if (!Number.isInteger(value)) cur.fail(`bucket value must be an integer, got ${value}`, raw.nameAt);
    }
    if ((suffix === '_count' || suffix === '_gcount') && !Number.isInteger(value)) {
      cur.fail(`count value must be an integer, got ${value}`, raw.nameAt);
    }
    if (type === 'summary' && suffix === '') {
      const i = pairIndex(pairs, 'quantile');
      const q = i >= 0 ? parseFloatToken(pairs[i]!) : undefined;
      if (q === undefined || !(q >= 0 && q <= 1)) {
        cur.fail(
          i < 0
            ? 'summary quantile sample without a quantile label'
            : `invalid quantile label ${quote(pairs[i]!)}`,
          i < 0 ? raw.nameAt : raw.valueAt[(i - 1) / 2],
        );
      }
      if (value < 0) cur.fail('quantile values cannot be negative', raw.nameAt);
    }
    const labels = this.labelSets.build(pairs);
    const groupLabel =
      type === 'summary' && suffix === ''
        ? 'quantile'
        : suffix === '_bucket'
          ? 'le'
          : type === 'stateset'
            ? f.name
            : undefined;
    const step = this.groups.enter(type === 'info' ? NO_LABELS : labels, groupLabel);
    this.checkGroup(step, type, raw, cur);
    if (type === 'stateset' && value !== 0 && value !== 1)
      cur.fail('stateset values must be 0 or 1', raw.nameAt);
    if (type === 'info' && value !== 1) cur.fail('info values must be 1', raw.nameAt);
    if (COUNTER_LIKE.has(suffix)) {
      if (Number.isNaN(value)) cur.fail(`${raw.name} cannot be NaN`, raw.nameAt);
      if (value < 0 && suffix !== '_gsum') cur.fail(`${raw.name} cannot be negative`, raw.nameAt);
    }
    if (raw.hasExemplar && !(suffix === '_bucket' || (type === 'counter' && suffix === '_total'))) {
      cur.fail('exemplars are allowed only on counter _total and histogram _bucket samples', raw.exemplarAt);
    }
    const problem = f.histogram?.add(step === 'same', raw.timestampSeconds, suffix, le, value, cur.line);
    if (problem !== undefined) cur.fail(problem, raw.nameAt);
    f.samples.push(toSample(raw, labels));
  }

  /** Ends the input: the families, or an error when `# EOF` never came. */
  finish(cur: LineCursor): MetricFamily[] {
    if (!this.eofSeen) {
      this.finishFamily();
      cur.fail('missing "# EOF" at the end');
    }
    return this.families;
  }

  private checkGroup(
    step: 'same' | 'new' | 'repeat',
    type: MetricType,
    raw: OpenMetricsRawSample,
    cur: LineCursor,
  ): void {
    const ts = raw.timestampSeconds;
    if (step === 'same') {
      if ((ts === undefined) !== (this.groupTimestamp === undefined)) {
        cur.fail('some samples of this series group have a timestamp and some do not', raw.nameAt);
      }
      if (
        ts !== undefined &&
        this.groupTimestamp !== undefined &&
        ts < this.groupTimestamp &&
        type !== 'info'
      ) {
        cur.fail('timestamps go backwards within a series group', raw.nameAt);
      }
    } else if (step === 'repeat') {
      cur.fail('samples of one series group must be contiguous', raw.nameAt);
    }
    this.groupTimestamp = ts;
  }

  private startFamily(name: string, nameAt: number, cur: LineCursor): FamilyState {
    this.finishFamily();
    this.claim(name, nameAt, cur);
    const f: FamilyState = {
      name,
      type: undefined,
      help: undefined,
      unit: undefined,
      samples: [],
      histogram: undefined,
    };
    this.current = f;
    this.groups.reset();
    this.groupTimestamp = undefined;
    return f;
  }

  private claim(name: string, nameAt: number, cur: LineCursor): void {
    if (this.seenNames.has(name)) {
      cur.fail(
        `name ${quote(name)} clashes with an earlier metric family (families must be contiguous)`,
        nameAt,
      );
    }
    this.seenNames.add(name);
  }

  private finishFamily(): void {
    const f = this.current;
    if (f === undefined) return;
    this.current = undefined;
    f.histogram?.finish();
    const family: { -readonly [K in keyof MetricFamily]: MetricFamily[K] } = {
      name: f.name,
      type: f.type ?? 'unknown',
      samples: f.samples,
    };
    if (f.help !== undefined) family.help = f.help;
    if (f.unit !== undefined && f.unit !== '') family.unit = f.unit;
    this.families.push(family);
  }
}

function isAllowed(f: FamilyState, sampleName: string): boolean {
  if (!sampleName.startsWith(f.name)) return false;
  const suffix = sampleName.slice(f.name.length);
  return f.type === undefined ? suffix === '' : SUFFIXES[f.type].includes(suffix);
}

function toSample(raw: OpenMetricsRawSample, labels: Labels): ExposedSample {
  const sample: { -readonly [K in keyof ExposedSample]: ExposedSample[K] } = {
    name: raw.name,
    labels,
    value: raw.value,
  };
  if (raw.timestampSeconds !== undefined) sample.timestampMs = Math.round(raw.timestampSeconds * 1000);
  if (raw.hasExemplar) {
    const ex = { labels: labelsFromParsedPairs(raw.exemplarPairs), value: raw.exemplarValue };
    sample.exemplar =
      raw.exemplarTimestampSeconds === undefined
        ? ex
        : { ...ex, timestampMs: Math.round(raw.exemplarTimestampSeconds * 1000) };
  }
  return sample;
}

// Groups 0.0.4 lines into metric families the way expfmt's TextParser does: families are keyed
// by name and may be spread over the input; `x_sum`/`x_count` belong to a summary `x`, and
// `x_bucket`/`x_sum`/`x_count` to a (gauge) histogram `x`, when `x` has been typed so; TYPE is
// fixed to untyped by the first sample, so a later TYPE is "TYPE reported after samples".
import type { Labels } from '../../labels.js';
import type { ExposedSample, MetricFamily, MetricType } from '../../metric-family.js';
import { parseFloatToken } from '../number.js';
import { LabelSetBuilder, pairIndex } from './labels-builder.js';
import type { LineCursor } from './line-cursor.js';
import { quote } from './parse-error.js';

interface FamilyState {
  name: string;
  type: MetricType | undefined;
  help: string | undefined;
  samples: ExposedSample[];
}

const TYPES: Readonly<Record<string, MetricType>> = {
  COUNTER: 'counter',
  GAUGE: 'gauge',
  SUMMARY: 'summary',
  UNTYPED: 'unknown',
  HISTOGRAM: 'histogram',
  // Not part of 0.0.4, tolerated by expfmt (the OpenMetrics spelling and the protobuf enum's).
  GAUGE_HISTOGRAM: 'gaugehistogram',
  GAUGEHISTOGRAM: 'gaugehistogram',
};

interface Resolved {
  readonly family: FamilyState;
  readonly role: 'count' | 'sum' | 'other';
}

export interface PromTextLimits {
  /** Stop with an error past this many samples (untrusted input). */
  readonly maxSamples: number;
}

export class PromTextFamilyBuilder {
  private readonly byName = new Map<string, FamilyState>();
  private readonly order: FamilyState[] = [];
  private readonly labelSets = new LabelSetBuilder();
  private sampleCount = 0;
  private lastName: string | undefined;
  private lastResolved: Resolved | undefined;

  constructor(private readonly limits: PromTextLimits) {}

  metadata(keyword: 'HELP' | 'TYPE', name: string, cur: LineCursor): void {
    if (cur.atEnd()) {
      this.resolve(name); // expfmt creates the family even when the line says nothing more.
      return;
    }
    const { family } = this.resolve(name);
    if (keyword === 'HELP') {
      if (family.help !== undefined) cur.fail(`second HELP line for metric name ${quote(family.name)}`);
      family.help = cur.readHelpText('error');
      return;
    }
    if (family.type !== undefined) {
      cur.fail(`second TYPE line for metric name ${quote(family.name)}, or TYPE reported after samples`);
    }
    const at = cur.pos;
    const text = cur.rest();
    const type = TYPES[text.toUpperCase()];
    if (type === undefined) cur.fail(`unknown metric type ${quote(text)}`, at);
    family.type = type;
  }

  sample(
    name: string,
    nameAt: number,
    pairs: readonly string[],
    /** Where label value `i` starts: `valueAtBase + valueAt[i]` (for errors). */
    valueAt: readonly number[],
    valueAtBase: number,
    value: number,
    timestampMs: number | undefined,
    cur: LineCursor,
    /** The sample's labels when already built from `pairs` (a cached series). */
    labels: Labels = this.labelSets.build(pairs),
  ): void {
    if (++this.sampleCount > this.limits.maxSamples) {
      cur.fail(`more than ${this.limits.maxSamples} samples`, nameAt);
    }
    const { family, role } = this.resolve(name);
    family.type ??= 'unknown';
    const type = family.type;
    if (type === 'summary') {
      const q = pairIndex(pairs, 'quantile');
      if (q >= 0 && parseFloatToken(pairs[q]!) === undefined) {
        cur.fail(
          `expected float as value for 'quantile' label, got ${quote(pairs[q]!)}`,
          valueAtBase + valueAt[(q - 1) / 2]!,
        );
      }
    } else if (type === 'histogram' || type === 'gaugehistogram') {
      const le = pairIndex(pairs, 'le');
      const bound = le >= 0 ? parseFloatToken(pairs[le]!) : undefined;
      if (le >= 0 && bound === undefined) {
        cur.fail(
          `expected float as value for 'le' label, got ${quote(pairs[le]!)}`,
          valueAtBase + valueAt[(le - 1) / 2]!,
        );
      }
      // expfmt: a count or bucket that is not a whole number must not be negative (a negative
      // whole number fails its uint64 round trip and lands in the same check).
      if (value < 0 && role === 'count')
        cur.fail(`negative count for histogram ${quote(family.name)}`, nameAt);
      if (value < 0 && role !== 'sum' && bound !== undefined && !Number.isNaN(bound)) {
        cur.fail(`negative bucket population for histogram ${quote(family.name)}`, nameAt);
      }
    }
    const sample: ExposedSample =
      timestampMs === undefined ? { name, labels, value } : { name, labels, value, timestampMs };
    family.samples.push(sample);
  }

  /** The families with samples, in order of first appearance. */
  finish(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const f of this.order) {
      if (f.samples.length === 0) continue;
      out.push(toFamily(f, this.byName));
    }
    return out;
  }

  /**
   * The family a sample or metadata name belongs to. The answer for a name never changes once
   * given (families are only added, and a type once set stays), so consecutive samples of one
   * family reuse the last answer.
   */
  private resolve(name: string): Resolved {
    if (name === this.lastName && this.lastResolved !== undefined) return this.lastResolved;
    const resolved = this.resolveUncached(name);
    this.lastName = name;
    this.lastResolved = resolved;
    return resolved;
  }

  private resolveUncached(name: string): Resolved {
    const exact = this.byName.get(name);
    if (exact !== undefined) return { family: exact, role: 'other' };
    const role = name.endsWith('_count') ? 'count' : name.endsWith('_sum') ? 'sum' : 'other';
    if (role !== 'other') {
      const base = this.byName.get(name.slice(0, name.length - (role === 'count' ? 6 : 4)));
      if (base?.type === 'summary') return { family: base, role };
      if (base?.type === 'histogram' || base?.type === 'gaugehistogram') return { family: base, role };
    } else if (name.endsWith('_bucket')) {
      const base = this.byName.get(name.slice(0, -7));
      if (base?.type === 'histogram' || base?.type === 'gaugehistogram') return { family: base, role };
    }
    const family: FamilyState = { name, type: undefined, help: undefined, samples: [] };
    this.byName.set(name, family);
    this.order.push(family);
    return { family, role: 'other' };
  }
}

/**
 * A counter typed as `x_total` becomes family `x` with samples `x_total`, the shape OpenMetrics
 * and @tally/model use (and Python's text parser produces) — unless a family `x` exists too.
 */
function toFamily(f: FamilyState, byName: ReadonlyMap<string, FamilyState>): MetricFamily {
  let name = f.name;
  if (f.type === 'counter' && name.endsWith('_total') && name.length > 6) {
    const base = name.slice(0, -6);
    const other = byName.get(base);
    if (other === undefined || other.samples.length === 0) name = base;
  }
  const type = f.type ?? 'unknown';
  return f.help === undefined
    ? { name, type, samples: f.samples }
    : { name, type, help: f.help, samples: f.samples };
}

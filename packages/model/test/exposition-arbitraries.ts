// fast-check arbitraries for metric families that both exposition formats can carry, so the
// writer→parser round trip must give them back unchanged.
import fc from 'fast-check';
import {
  formatOpenMetricsFloat,
  labelsFromRecord,
  type ExposedSample,
  type Labels,
  type MetricFamily,
  type MetricType,
} from '../src/index.js';

/** Text with the characters escaping has to get right, and some non-ASCII. */
export const trickyText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\\',
        '"',
        '\n',
        '\\n',
        '\\\\"',
        '{',
        '}',
        ',',
        '=',
        '#',
        ' # ',
        'é',
        'Björn',
        '佖',
        '🚀',
        '\t',
        ' ',
      ),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

const labelValue = trickyText.filter((s) => s !== '');
const labelName = fc.constantFrom('a', 'b', 'job', 'instance', 'path', 'x_y', '_z', 'method_name');

const labelSet = (exclude: readonly string[]) =>
  fc
    .dictionary(labelName, labelValue, { maxKeys: 3 })
    .map((r) =>
      labelsFromRecord(Object.fromEntries(Object.entries(r).filter(([k]) => !exclude.includes(k)))),
    );

const seriesLabels = (exclude: readonly string[]) =>
  fc.uniqueArray(labelSet(exclude), { minLength: 1, maxLength: 3, selector: (l) => JSON.stringify(l) });

const anyDouble = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1, 1e-5, 1e21, 123456789.125),
  fc.integer().map(Number),
);
const nonNegative = fc.oneof(fc.double({ min: 0, noNaN: true }), fc.nat().map(Number));
const count = fc.nat({ max: 1_000_000 });

const withLabel = (labels: Labels, name: string, value: string): Labels =>
  [...labels, { name, value }].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

function sample(name: string, labels: Labels, value: number, timestampMs: number | undefined): ExposedSample {
  return timestampMs === undefined ? { name, labels, value } : { name, labels, value, timestampMs };
}

const exemplar = fc.record(
  {
    labels: fc
      .dictionary(
        fc.constantFrom('trace_id', 'span_id'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
      )
      .map(labelsFromRecord),
    value: anyDouble,
    timestampMs: fc.integer({ min: -1e12, max: 1e13 }),
  },
  { requiredKeys: ['labels', 'value'] },
);

export interface FamilyOptions {
  /** Types to draw from. */
  readonly types: readonly MetricType[];
  /** OpenMetrics-only parts: units, exemplars, `_created`. */
  readonly openMetrics: boolean;
  /**
   * Only what the 2.42 / Python 0.16 peers accept and promtool does not lint: legacy names,
   * a HELP text without surrounding blanks, timestamps from 1970 on.
   */
  readonly peerSafe?: boolean;
}

const timestamp = fc.option(fc.integer({ min: -1e12, max: 1e13 }), { nil: undefined });
const createdOm = fc.option(fc.double({ min: 0, max: 2e9, noNaN: true }), { nil: undefined });
const exemplarOm = fc.option(exemplar, { nil: undefined });
const none = fc.constant(undefined);
const bucketBounds = fc
  .uniqueArray(
    fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(0.005, 0.1, 1, 2.5, 10)),
    {
      maxLength: 4,
    },
  )
  .map((b) => [...b.sort((x, y) => x - y).map(formatOpenMetricsFloat), '+Inf']);
const quantiles = fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 });
const quantileValues = fc.array(fc.oneof(nonNegative, fc.constant(NaN)), { minLength: 3, maxLength: 3 });
const bucketIncrements = fc.array(count, { minLength: 5, maxLength: 5 });
const states = fc.uniqueArray(fc.constantFrom('on', 'off', 'x y', 'é'), { minLength: 1, maxLength: 3 });
const stateValues = fc.array(fc.constantFrom(0, 1), { minLength: 4, maxLength: 4 });
const seriesPlain = seriesLabels([]);
const stemBase = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
// promtool lints name parts that look like abbreviated units (`_d`, `_b`, `_h`, …).
const peerSafeBase = fc.constantFrom(
  'requests',
  'queue_depth',
  'latency',
  'jobs',
  'temperature',
  'errors',
  'epoch',
);
const unitOm = fc.option(fc.constantFrom('seconds', 'bytes', 'ratio'), { nil: undefined });

/** Samples of one family of `type`, series after series. */
function samplesOf(type: MetricType, name: string, o: FamilyOptions): fc.Arbitrary<ExposedSample[]> {
  const ts = timestamp;
  const created = o.openMetrics ? createdOm : none;
  const ex = o.openMetrics ? exemplarOm : none;
  return fc
    .tuple(type === 'stateset' ? seriesLabels([name]) : seriesPlain, ts)
    .chain(([series, timestampMs]) =>
      fc
        .tuple(
          ...series.map((labels) => {
            switch (type) {
              case 'gauge':
              case 'unknown':
                return anyDouble.map((v) => [sample(name, labels, v, timestampMs)]);
              case 'counter':
                return fc.tuple(nonNegative, created, ex).map(([v, c, e]) => {
                  const s: ExposedSample[] = [
                    { ...sample(`${name}_total`, labels, v, timestampMs), ...(e && { exemplar: e }) },
                  ];
                  if (c !== undefined) s.push(sample(`${name}_created`, labels, c, timestampMs));
                  return s;
                });
              case 'histogram':
              case 'gaugehistogram':
                return fc
                  .tuple(bucketBounds, bucketIncrements, nonNegative, ex)
                  .map(([bounds, incs, sum, e]) => {
                    let cumulative = 0;
                    const s = bounds.map((le, i) => {
                      cumulative += incs[i]!;
                      const b = sample(
                        `${name}_bucket`,
                        withLabel(labels, 'le', le),
                        cumulative,
                        timestampMs,
                      );
                      return i === 0 && e !== undefined ? { ...b, exemplar: e } : b;
                    });
                    const g = type === 'gaugehistogram' ? 'g' : '';
                    s.push(sample(`${name}_${g}count`, labels, cumulative, timestampMs));
                    s.push(sample(`${name}_${g}sum`, labels, sum, timestampMs));
                    return s;
                  });
              case 'summary':
                return fc
                  .tuple(quantiles, quantileValues, nonNegative, count)
                  .map(([qs, values, sum, n]) => [
                    ...qs
                      .sort((a, b) => a - b)
                      .map((q, i) =>
                        sample(
                          name,
                          withLabel(labels, 'quantile', formatOpenMetricsFloat(q)),
                          values[i]!,
                          timestampMs,
                        ),
                      ),
                    sample(`${name}_sum`, labels, sum, timestampMs),
                    sample(`${name}_count`, labels, n, timestampMs),
                  ]);
              case 'info':
                return fc.constant([sample(`${name}_info`, labels, 1, timestampMs)]);
              case 'stateset':
                return fc
                  .tuple(states, stateValues)
                  .map(([sts, vs]) =>
                    sts.map((st, i) => sample(name, withLabel(labels, name, st), vs[i]!, timestampMs)),
                  );
            }
          }),
        )
        .map((groups) => groups.flat()),
    );
}

/** One family at position `index` (the index keeps names apart, so families never clash). */
function family(index: number, o: FamilyOptions): fc.Arbitrary<MetricFamily> {
  return fc
    .record({
      type: fc.constantFrom(...o.types),
      base: o.peerSafe === true ? peerSafeBase : stemBase,
      dashed: o.peerSafe === true ? fc.constant(false) : fc.boolean(),
      help:
        o.peerSafe === true
          ? trickyText.map((t) => `About ${t}.`)
          : fc.option(
              o.openMetrics
                ? trickyText
                : trickyText.filter((h) => h !== '' && h[0] !== ' ' && h[0] !== '\t'),
              { nil: undefined },
            ),
      unit: o.openMetrics ? unitOm : none,
    })
    .chain(({ type, base, dashed, help, unit }) => {
      // Seed-rule names with `-` go through the quoted syntax; stateset names are label names.
      const stem = `m${index}_${base}${dashed && type !== 'stateset' ? '-x' : ''}`;
      const withUnit = unit !== undefined && type !== 'info' && type !== 'stateset';
      const name = withUnit ? `${stem}_${unit}` : stem;
      return samplesOf(type, name, o).map((samples) => {
        if (o.peerSafe === true) samples = samples.map(fromEpoch);
        const f: { -readonly [K in keyof MetricFamily]: MetricFamily[K] } = { name, type, samples };
        if (help !== undefined) f.help = help;
        if (withUnit) f.unit = unit;
        return f;
      });
    });
}

export function families(o: FamilyOptions): fc.Arbitrary<MetricFamily[]> {
  const byIndex = Array.from({ length: 4 }, (_, i) => family(i, o));
  return fc
    .integer({ min: 0, max: 4 })
    .chain((n) => (n === 0 ? fc.constant([]) : fc.tuple(...byIndex.slice(0, n))));
}

/** Python 0.16 misreads OpenMetrics timestamps between -1 and 0 s; peers get ones from 1970 on. */
function fromEpoch(s: ExposedSample): ExposedSample {
  let out = s;
  if (s.timestampMs !== undefined) out = { ...out, timestampMs: Math.abs(s.timestampMs) };
  if (s.exemplar?.timestampMs !== undefined) {
    out = { ...out, exemplar: { ...s.exemplar, timestampMs: Math.abs(s.exemplar.timestampMs) } };
  }
  return out;
}

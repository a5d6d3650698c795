import { isValidLabelName, labelsFromRecord, type Labels } from '@tally/model';

/** An exemplar as a series keeps it: its labels (a trace id, say), the value and when. */
export interface StoredExemplar {
  readonly labels: Labels;
  readonly value: number;
  readonly timestampMs: number;
}

/** Exemplar labels as callers pass them. */
export type ExemplarLabels = Readonly<Record<string, string | number>>;

/** OpenMetrics 1.0: "The combined length of the label names and values of an Exemplar's LabelSet MUST NOT exceed 128 UTF-8 characters." */
const MAX_EXEMPLAR_RUNES = 128;

export function makeExemplar(metricName: string, labels: ExemplarLabels, value: number): StoredExemplar {
  const record: Record<string, string> = {};
  let runes = 0;
  for (const name of Object.keys(labels)) {
    if (!isValidLabelName(name))
      throw new Error(`metric ${metricName}: invalid exemplar label name ${JSON.stringify(name)}`);
    const raw = labels[name];
    const v = typeof raw === 'number' ? String(raw) : raw;
    if (typeof v !== 'string')
      throw new TypeError(`metric ${metricName}: exemplar label "${name}" must be a string or number`);
    record[name] = v;
    runes += codePoints(name) + codePoints(v);
  }
  if (runes > MAX_EXEMPLAR_RUNES) {
    throw new Error(
      `metric ${metricName}: exemplar labels are ${runes} characters long; OpenMetrics allows at most ${MAX_EXEMPLAR_RUNES}`,
    );
  }
  return { labels: labelsFromRecord(record), value, timestampMs: Date.now() };
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

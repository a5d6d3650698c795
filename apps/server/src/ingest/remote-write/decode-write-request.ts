import type { Label, Labels } from '@tally/model';
import { ProtobufError, ProtobufReader } from '../protobuf-reader.js';

export interface WriteSeries {
  readonly labels: Labels;
  readonly timestampsMs: number[];
  readonly values: number[];
}

export interface WriteMetadata {
  readonly type: string;
  readonly family: string;
  readonly help: string;
  readonly unit: string;
}

export interface DecodedWriteRequest {
  readonly series: WriteSeries[];
  readonly metadata: WriteMetadata[];
  /** Native histogram samples, which Tally does not store yet (refused, never dropped silently). */
  readonly histogramCount: number;
  readonly sampleCount: number;
}

// prometheus/prompb/types.proto MetricMetadata.MetricType
const METADATA_TYPES = [
  'unknown',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
];

/**
 * Decodes a remote-write 1.0 `prometheus.WriteRequest` (prompb/remote.proto): field 1
 * `repeated TimeSeries timeseries`, field 3 `repeated MetricMetadata metadata`. A TimeSeries
 * has `labels` (1: name=1, value=2), `samples` (2: value=1 double, timestamp=2 int64),
 * `exemplars` (3, ignored: Tally keeps no exemplars) and `histograms` (4, counted). Labels
 * with empty values are dropped and the rest sorted by name, as Prometheus' own receiver
 * treats them. Hand-written rather than protobufjs: see the README's measurement.
 */
export function decodeWriteRequest(buf: Buffer): DecodedWriteRequest {
  const r = new ProtobufReader(buf);
  const series: WriteSeries[] = [];
  const metadata: WriteMetadata[] = [];
  let histogramCount = 0;
  let sampleCount = 0;
  while (!r.done()) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === 2) {
      const [start, end] = r.bytes();
      const s = decodeTimeSeries(buf, start, end);
      histogramCount += s.histograms;
      sampleCount += s.series.values.length;
      series.push(s.series);
    } else if (field === 3 && wire === 2) {
      const [start, end] = r.bytes();
      metadata.push(decodeMetadata(buf, start, end));
    } else r.skip(wire);
  }
  return { series, metadata, histogramCount, sampleCount };
}

function decodeTimeSeries(
  buf: Buffer,
  start: number,
  end: number,
): { series: WriteSeries; histograms: number } {
  const r = new ProtobufReader(buf, start, end);
  const labels: Label[] = [];
  const timestampsMs: number[] = [];
  const values: number[] = [];
  let histograms = 0;
  let sorted = true;
  while (!r.done()) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === 2) {
      const [ls, le] = r.bytes();
      const label = decodeLabel(buf, ls, le);
      if (label.value === '') continue;
      const prev = labels[labels.length - 1];
      if (prev && prev.name >= label.name) sorted = false;
      labels.push(label);
    } else if (field === 2 && wire === 2) {
      const [ss, se] = r.bytes();
      const sr = new ProtobufReader(buf, ss, se);
      let v = 0;
      let t = 0;
      while (!sr.done()) {
        const stag = sr.varint();
        if (stag === 9) v = sr.double();
        else if (stag === 16) t = sr.int64();
        else sr.skip(stag & 7);
      }
      values.push(v);
      timestampsMs.push(t);
    } else if (field === 4 && wire === 2) {
      r.bytes();
      histograms++;
    } else r.skip(wire);
  }
  if (!sorted) {
    labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 1; i < labels.length; i++) {
      if (labels[i]!.name === labels[i - 1]!.name)
        throw new ProtobufError(`duplicate label name ${labels[i]!.name} in a series`);
    }
  }
  return { series: { labels, timestampsMs, values }, histograms };
}

function decodeLabel(buf: Buffer, start: number, end: number): Label {
  const r = new ProtobufReader(buf, start, end);
  let name = '';
  let value = '';
  while (!r.done()) {
    const tag = r.varint();
    if (tag === 10) name = r.string();
    else if (tag === 18) value = r.string();
    else r.skip(tag & 7);
  }
  return { name, value };
}

function decodeMetadata(buf: Buffer, start: number, end: number): WriteMetadata {
  const r = new ProtobufReader(buf, start, end);
  let type = 'unknown';
  let family = '';
  let help = '';
  let unit = '';
  while (!r.done()) {
    const tag = r.varint();
    if (tag === 8) type = METADATA_TYPES[r.varint()] ?? 'unknown';
    else if (tag === 18) family = r.string();
    else if (tag === 34) help = r.string();
    else if (tag === 42) unit = r.string();
    else r.skip(tag & 7);
  }
  return { type, family, help, unit };
}

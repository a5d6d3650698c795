import { labelsKey, type Label } from '@tally/model';
import { ProtobufError, ProtobufReader } from '../protobuf-reader.js';
import type { CachedSeries } from './series-cache.js';

// A TimeSeries' labels, decoded once per distinct label bytes (the series cache keeps them);
// shared by the JavaScript and the WebAssembly WriteRequest decoders.

/** TimeSeries.labels = 1, bytes (and Label.name = 1, bytes). */
export const TAG_LABEL = 0x0a;

/** The labels of the TimeSeries in [start, end): empty values dropped, sorted, unique. */
export function decodeLabels(buf: Buffer, start: number, end: number): CachedSeries {
  const r = new ProtobufReader(buf, start, end);
  const labels: Label[] = [];
  let sorted = true;
  while (!r.done()) {
    const tag = r.varint();
    if (tag !== TAG_LABEL) {
      r.skip(tag & 7);
      continue;
    }
    const [ls, le] = r.bytes();
    const label = decodeLabel(buf, ls, le);
    if (label.value === '') continue;
    const prev = labels[labels.length - 1];
    if (prev && prev.name >= label.name) sorted = false;
    labels.push(label);
  }
  if (!sorted) {
    labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 1; i < labels.length; i++) {
      if (labels[i]!.name === labels[i - 1]!.name)
        throw new ProtobufError(`duplicate label name ${labels[i]!.name} in a series`);
    }
  }
  return {
    labels,
    key: labelsKey(labels),
    job: labels.find((l) => l.name === 'job')?.value,
    labelsChecked: false,
  };
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

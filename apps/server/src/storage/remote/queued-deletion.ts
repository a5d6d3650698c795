/**
 * A deletion travelling through the remote-write queue: a control record written into every
 * shard, in the same place relative to the samples of that shard, so the engine deletes only
 * after every sample committed before the deletion has reached it, and before any committed
 * after it. `id`s increase with each deletion enqueued in a queue directory.
 */
export interface QueuedDeletion {
  readonly id: number;
  /** The series selector (`{job="x"}`), as the engine's delete_series `match[]` takes it. */
  readonly selector: string;
  readonly startMs?: number;
  readonly endMs?: number;
}

/**
 * A record body starting with this u32 is a control record, not samples: a samples body starts
 * with its series count, which can never be 2^32 − 1 (a record is at most 1 GiB).
 */
const CONTROL_MARKER = 0xffffffff;

/** `u32 0xFFFFFFFF`, `u32 jsonBytes`, JSON `{"op":"delete","id":…,"selector":…,"startMs"?,"endMs"?}`. */
export function encodeDeletionBody(deletion: QueuedDeletion): Buffer {
  const json = Buffer.from(JSON.stringify({ op: 'delete', ...deletion }));
  const buf = Buffer.allocUnsafe(8 + json.length);
  buf.writeUInt32LE(CONTROL_MARKER, 0);
  buf.writeUInt32LE(json.length, 4);
  json.copy(buf, 8);
  return buf;
}

export function isControlBody(body: Buffer): boolean {
  return body.length >= 8 && body.readUInt32LE(0) === CONTROL_MARKER;
}

/** Decodes {@link encodeDeletionBody}; throws on anything else (the CRC already passed). */
export function decodeDeletionBody(body: Buffer): QueuedDeletion {
  if (!isControlBody(body)) throw new Error('not a control record');
  const length = body.readUInt32LE(4);
  const parsed = JSON.parse(body.toString('utf8', 8, 8 + length)) as Record<string, unknown>;
  const { op, id, selector, startMs, endMs } = parsed;
  if (op !== 'delete' || typeof id !== 'number' || typeof selector !== 'string')
    throw new Error(`unknown control record ${JSON.stringify(parsed).slice(0, 200)}`);
  return {
    id,
    selector,
    ...(typeof startMs === 'number' ? { startMs } : {}),
    ...(typeof endMs === 'number' ? { endMs } : {}),
  };
}

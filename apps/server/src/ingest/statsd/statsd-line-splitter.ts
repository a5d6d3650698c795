const NEWLINE = 0x0a;

/** What one chunk of a TCP stream gave: its whole lines, and how many lines were too long. */
export interface SplitLines {
  /** The complete lines that fit, joined by `\n` (no trailing newline); undefined when none. */
  readonly lines: Buffer | undefined;
  readonly tooLong: number;
}

/**
 * Cuts a TCP byte stream into newline-delimited StatsD lines (statsd_exporter's TCP listener
 * reads lines the same way). A line may arrive across several chunks; the unfinished tail is
 * held, at most `maxLineBytes` of it, so a client that never sends a newline cannot make the
 * server buffer without bound. A line longer than that is refused and skipped up to its
 * newline, and the connection goes on (statsd_exporter closes the connection instead). Empty
 * lines are skipped.
 */
export class StatsdLineSplitter {
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** Inside a line already refused as too long: drop bytes until its newline. */
  private discarding = false;

  constructor(private readonly maxLineBytes: number) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1)
      throw new Error(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
  }

  /** Bytes held for an unfinished line. */
  get heldBytes(): number {
    return this.partialBytes;
  }

  push(chunk: Buffer): SplitLines {
    const out: Buffer[] = [];
    let tooLong = 0;
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      const length = this.partialBytes + piece.length;
      if (length > this.maxLineBytes) tooLong++;
      else if (length > 0)
        out.push(this.partialBytes === 0 ? piece : Buffer.concat([...this.partial, piece]));
      this.partial = [];
      this.partialBytes = 0;
    }
    const tail = chunk.subarray(start);
    if (tail.length > 0 && !this.discarding) {
      if (this.partialBytes + tail.length > this.maxLineBytes) {
        tooLong++;
        this.discarding = true;
        this.partial = [];
        this.partialBytes = 0;
      } else {
        // A copy: the chunk's memory may be reused by the socket.
        this.partial.push(Buffer.from(tail));
        this.partialBytes += tail.length;
      }
    }
    return { lines: join(out), tooLong };
  }

  /**
   * The end of the stream: an unfinished last line counts as a line (bufio's ReadLine returns
   * it at EOF, so statsd_exporter takes it too). Only call it for a stream that ended cleanly.
   */
  end(): Buffer | undefined {
    const last = this.partialBytes > 0 ? Buffer.concat(this.partial) : undefined;
    this.partial = [];
    this.partialBytes = 0;
    this.discarding = false;
    return last;
  }
}

function join(lines: Buffer[]): Buffer | undefined {
  if (lines.length === 0) return undefined;
  if (lines.length === 1) return lines[0];
  let size = lines.length - 1;
  for (const l of lines) size += l.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const l of lines) {
    if (at > 0) out[at++] = NEWLINE;
    at += l.copy(out, at);
  }
  return out;
}

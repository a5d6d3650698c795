import { ExpositionParseError } from './parse-error.js';
import { invalidUtf8Index } from './utf8.js';

/** Receives one line: `text[start, end)` without its `\n`, numbered from 1. */
export type LineHandler = (text: string, start: number, end: number, line: number) => void;

/**
 * Splits a stream of chunks (strings, or UTF-8 bytes decoded strictly) into lines and hands each
 * complete line to `onLine` as a range of the chunk, so the whole-input path copies nothing. A
 * partial last line waits for the next chunk; {@link finish} returns what is left after the last
 * `\n` for the format to judge.
 */
export class LineFeeder {
  private readonly pendingParts: string[] = [];
  private line = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private pendingBytes: Uint8Array | undefined;

  constructor(private readonly onLine: LineHandler) {}

  /** Number of complete lines handed out so far. */
  get lineCount(): number {
    return this.line;
  }

  write(chunk: string | Uint8Array): void {
    this.feed(typeof chunk === 'string' ? chunk : this.decode(chunk, false));
  }

  /** Ends the input; returns the text after the last `\n` (possibly empty). */
  finish(): string {
    if (this.pendingBytes !== undefined) this.feed(this.decode(new Uint8Array(0), true));
    const rest = this.pendingParts.join('');
    this.pendingParts.length = 0;
    return rest;
  }

  private feed(chunk: string): void {
    // A chunk without a line end only extends the pending line: keep the parts and join them
    // once the line ends, so a long line arriving in small pieces costs linear time.
    if (chunk.indexOf('\n') < 0) {
      if (chunk !== '') this.pendingParts.push(chunk);
      return;
    }
    const head = this.pendingParts.length === 0 ? '' : this.pendingParts.join('');
    this.pendingParts.length = 0;
    const text = head === '' ? chunk : head + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.onLine(text, start, nl, ++this.line);
      start = nl + 1;
    }
    if (start < text.length) this.pendingParts.push(text.slice(start));
  }

  private decode(chunk: Uint8Array, final: boolean): string {
    let bytes = chunk;
    if (this.pendingBytes !== undefined) {
      bytes = new Uint8Array(this.pendingBytes.length + chunk.length);
      bytes.set(this.pendingBytes);
      bytes.set(chunk, this.pendingBytes.length);
      this.pendingBytes = undefined;
    }
    // Hold back an incomplete trailing sequence for the next chunk.
    let cut = bytes.length;
    if (!final) {
      let k = bytes.length - 1;
      while (k >= 0 && k > bytes.length - 4 && (bytes[k]! & 0xc0) === 0x80) k--;
      if (k >= 0 && bytes[k]! >= 0xc0) {
        const len = bytes[k]! >= 0xf0 ? 4 : bytes[k]! >= 0xe0 ? 3 : 2;
        if (k + len > bytes.length) cut = k;
      }
    }
    // The strict decoder validates in native code; the scan that names the bad byte runs only
    // when it refuses. The held-back tail (at most 3 bytes, starting a sequence) is checked
    // here, so a bad byte anywhere is reported before any line of the chunk is parsed.
    let text: string;
    try {
      text = this.decoder.decode(cut === bytes.length ? bytes : bytes.subarray(0, cut));
    } catch {
      this.failAtByte(bytes, Math.max(0, invalidUtf8Index(bytes, final)));
    }
    if (cut < bytes.length) {
      const bad = invalidUtf8Index(bytes.subarray(cut), false);
      if (bad >= 0) this.failAtByte(bytes, cut + bad);
      this.pendingBytes = bytes.slice(cut);
    }
    return text;
  }

  private failAtByte(bytes: Uint8Array, index: number): never {
    const before = this.pendingParts.join('') + this.decoder.decode(bytes.subarray(0, index));
    const lastNl = before.lastIndexOf('\n');
    const lines = before.split('\n').length - 1;
    const column = before.length - lastNl;
    const byte = bytes[index]!.toString(16).padStart(2, '0');
    throw new ExpositionParseError(`invalid UTF-8 (byte 0x${byte})`, this.line + lines + 1, column);
  }
}

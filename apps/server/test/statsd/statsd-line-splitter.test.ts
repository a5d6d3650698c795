import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatsdLineSplitter } from '../../src/ingest/statsd/statsd-line-splitter.js';

/** Feeds chunks, returns every line handed out (the end-of-stream line included) and the refusals. */
function run(chunks: readonly string[], max = 16, end = true): { lines: string[]; tooLong: number } {
  const s = new StatsdLineSplitter(max);
  const lines: string[] = [];
  let tooLong = 0;
  for (const c of chunks) {
    const r = s.push(Buffer.from(c, 'latin1'));
    tooLong += r.tooLong;
    if (r.lines) lines.push(...r.lines.toString('latin1').split('\n'));
  }
  const last = end ? s.end() : undefined;
  if (last) lines.push(last.toString('latin1'));
  return { lines, tooLong };
}

describe('StatsdLineSplitter', () => {
  it.each([
    ['one line', ['a:1|c\n'], ['a:1|c'], 0],
    ['two lines in one chunk', ['a:1|c\nb:2|g\n'], ['a:1|c', 'b:2|g'], 0],
    ['a line across chunks', ['a:1', '|c\nb:', '2|g\n'], ['a:1|c', 'b:2|g'], 0],
    ['a line across many one-byte chunks', Array.from('ab:1|c\n'), ['ab:1|c'], 0],
    ['the last line without newline is taken at end', ['a:1|c\nb:2|g'], ['a:1|c', 'b:2|g'], 0],
    ['empty lines are skipped', ['\n\na:1|c\n\n'], ['a:1|c'], 0],
    ['a line of exactly the maximum is taken', ['0123456789abcdef\n'], ['0123456789abcdef'], 0],
    ['a line one past the maximum is refused', ['0123456789abcdefg\nok:1|c\n'], ['ok:1|c'], 1],
    [
      'a long line across chunks is refused once and skipped',
      ['0123456789', 'abcdefghij', 'klm\nok:1|c\n'],
      ['ok:1|c'],
      1,
    ],
    [
      'a long unterminated tail is refused and not taken at end',
      ['ok:1|c\n0123456789abcdefghij'],
      ['ok:1|c'],
      1,
    ],
    ['after a refused line the next line is whole', ['0123456789abcdefXYZ', '\nz:1|c\n'], ['z:1|c'], 1],
    ['CR is kept (the parser refuses it like statsd_exporter)', ['a:1|c\r\n'], ['a:1|c\r'], 0],
  ])('%s', (_name, chunks, lines, tooLong) => {
    expect(run(chunks)).toEqual({ lines, tooLong });
  });

  it('holds at most the maximum line length while a client sends no newline', () => {
    const s = new StatsdLineSplitter(1024);
    for (let i = 0; i < 1000; i++) {
      s.push(Buffer.alloc(100, 0x61));
      expect(s.heldBytes).toBeLessThanOrEqual(1024);
    }
  });

  it('refuses a non-positive maximum', () => {
    expect(() => new StatsdLineSplitter(0)).toThrow(/maxLineBytes/);
  });

  it('any chunking of a stream gives the lines of the whole stream (property)', () => {
    const line = fc.stringMatching(/^[a-z:|#0-9]{0,24}$/);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const stream = lines.join('\n') + '\n';
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let at = 0;
        for (const p of [...points, stream.length]) {
          chunks.push(stream.slice(at, p));
          at = p;
        }
        const expected = lines.filter((l) => l !== '' && l.length <= 16);
        const tooLong = lines.filter((l) => l.length > 16).length;
        expect(run(chunks.filter((c) => c !== ''))).toEqual({ lines: expected, tooLong });
      }),
      { numRuns: 300 },
    );
  });
});

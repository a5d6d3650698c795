/**
 * Splits newline-separated lines into payloads of at most `maxBytes` UTF-8 bytes, in order. A
 * line longer than `maxBytes` travels alone (the transport reports it if it is too big to send).
 */
export function packByBytes(text: string, maxBytes: number): { payload: string; lines: number }[] {
  const parts: { payload: string; lines: number }[] = [];
  let payload = '';
  let bytes = 0;
  let lines = 0;
  for (const line of text.split('\n')) {
    const size = Buffer.byteLength(line);
    if (lines > 0 && bytes + 1 + size > maxBytes) {
      parts.push({ payload, lines });
      payload = '';
      bytes = 0;
      lines = 0;
    }
    payload = lines === 0 ? line : payload + '\n' + line;
    bytes += lines === 0 ? size : 1 + size;
    lines++;
  }
  if (lines > 0) parts.push({ payload, lines });
  return parts;
}

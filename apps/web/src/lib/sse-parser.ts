// A server-sent events parser (WHATWG HTML §9.2.6 "Parsing an event stream"), fed text chunks
// as they arrive. The UI reads the job stream with fetch rather than EventSource because
// EventSource cannot send an Authorization header.

export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string;
}

export class SseParser {
  private buffer = '';
  private eventType = '';
  private data: string[] = [];
  private lastId = '';

  /** Feeds a chunk; returns the events it completed, in order. */
  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      // A lone '\r' at the very end may be the first half of '\r\n': wait for more.
      if (m[0] === '\r' && m.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const ev = this.line(line);
      if (ev) out.push(ev);
    }
    return out;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') {
      // Spec: an event with no data lines is not dispatched, and the type resets.
      const ev =
        this.data.length > 0
          ? { event: this.eventType || 'message', data: this.data.join('\n'), id: this.lastId }
          : undefined;
      this.eventType = '';
      this.data = [];
      return ev;
    }
    if (line.startsWith(':')) return undefined; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventType = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    return undefined;
  }
}

import {
  formatStatsdNumber,
  sanitizeStatsdName,
  sanitizeTagKey,
  sanitizeTagValue,
  type StatsdTags,
} from './statsd-format.js';

/** Names and tag keys repeat; distinct ones past this many reset the cache rather than grow it. */
const CACHE_SIZE = 1000;

// Any character the full sanitiser might replace; the common clean value skips the replace.
const MAYBE_UNSAFE_VALUE = /[|,\n\r\uD800-\uDFFF]/;

/**
 * Builds `name:value|type[|@rate][|#tags]` lines for one client: the prefixed, sanitised name
 * and each sanitised tag key are computed once and cached, so the hot path is a few string
 * concatenations.
 */
export class StatsdLineBuilder {
  private readonly names = new Map<string, string>();
  private readonly keys = new Map<string, string>();
  /** `|#<global tags>` and `|#<global tags>,`, or '' and `|#`. */
  private readonly globalPart: string;
  private readonly tagsStart: string;

  constructor(
    private readonly prefix: string,
    private readonly suffix: string,
    /** Formatted tags sent on every line (job tags, global tags), or ''. */
    globalTags: string,
  ) {
    this.globalPart = globalTags === '' ? '' : '|#' + globalTags;
    this.tagsStart = globalTags === '' ? '|#' : '|#' + globalTags + ',';
  }

  /** `head` is `name:` (sanitised, prefixed); `type` is `|c`, `|g`, … */
  head(name: string): string {
    let head = this.names.get(name);
    if (head === undefined) {
      head = sanitizeStatsdName(this.prefix + name + this.suffix) + ':';
      if (this.names.size >= CACHE_SIZE) this.names.clear();
      this.names.set(name, head);
    }
    return head;
  }

  /** Everything after the value: `|type`, the sample rate when below 1, the tags. */
  tail(type: string, rate: number, tags: StatsdTags | undefined): string {
    const tail = rate < 1 ? type + '|@' + formatStatsdNumber(rate) : type;
    const callTags = tags === undefined ? '' : this.tags(tags);
    return callTags === '' ? tail + this.globalPart : tail + this.tagsStart + callTags;
  }

  private key(key: string): string {
    let text = this.keys.get(key);
    if (text === undefined) {
      text = sanitizeTagKey(key) + ':';
      if (this.keys.size >= CACHE_SIZE) this.keys.clear();
      this.keys.set(key, text);
    }
    return text;
  }

  /**
   * Object tags with an empty, null or undefined value are left out (an empty label value is no
   * label in Prometheus); list tags are sent as given after sanitising, so a valueless DogStatsD
   * tag (`'debug'`) still reaches Datadog agents.
   */
  tags(tags: StatsdTags): string {
    let out = '';
    if (Array.isArray(tags)) {
      for (const tag of tags as readonly unknown[]) {
        if (typeof tag !== 'string' || tag === '') continue;
        const colon = tag.indexOf(':');
        const text =
          colon < 0 ? sanitizeTagKey(tag) : this.key(tag.slice(0, colon)) + value(tag.slice(colon + 1));
        out = out === '' ? text : out + ',' + text;
      }
      return out;
    }
    const record = tags as Readonly<Record<string, string | number | boolean | null | undefined>>;
    for (const key in record) {
      const raw = record[key];
      if (raw === undefined || raw === null || raw === '' || key === '') continue;
      const text = this.key(key) + value(typeof raw === 'string' ? raw : String(raw));
      out = out === '' ? text : out + ',' + text;
    }
    return out;
  }
}

function value(text: string): string {
  return MAYBE_UNSAFE_VALUE.test(text) ? sanitizeTagValue(text) : text;
}

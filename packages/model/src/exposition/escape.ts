// Escaping rules of both text formats. Label values escape `\`, `"` and line feed in both; HELP
// text escapes `\` and line feed in the Prometheus text format, and also `"` in OpenMetrics
// (prometheus/common expfmt, the OpenMetrics 1.0 ABNF). A scan first keeps the common case,
// nothing to escape, free of allocation.

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const LF = 0x0a;

function needsEscape(s: string, quotes: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH || c === LF || (quotes && c === QUOTE)) return true;
  }
  return false;
}

function escape(s: string, quotes: boolean): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c === BACKSLASH) rep = '\\\\';
    else if (c === LF) rep = '\\n';
    else if (quotes && c === QUOTE) rep = '\\"';
    if (rep !== undefined) {
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return out + s.slice(from);
}

/** A label value (or quoted name) for either text format: `\` → `\\`, `"` → `\"`, line feed → `\n`. */
export function escapeLabelValue(s: string): string {
  return needsEscape(s, true) ? escape(s, true) : s;
}

/** HELP text for the Prometheus text format 0.0.4: `\` → `\\`, line feed → `\n`. */
export function escapeHelp(s: string): string {
  return needsEscape(s, false) ? escape(s, false) : s;
}

/** HELP text for OpenMetrics 1.0: `\` → `\\`, `"` → `\"`, line feed → `\n`. */
export function escapeOpenMetricsHelp(s: string): string {
  return needsEscape(s, true) ? escape(s, true) : s;
}

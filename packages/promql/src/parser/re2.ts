import { Matcher, type MatchType } from '@tally/storage';

/**
 * Translates the parts of Go's RE2 syntax that JavaScript (Node 20) lacks: inline flag groups
 * `(?i)` / `(?i:…)` (case folding is spelled out as `[aA]` classes) and `(?P<name>…)`.
 * Returns undefined when the pattern needs no translation.
 */
export function translateRe2(pattern: string): string | undefined {
  if (!/\(\?[imsU-]*[:)]|\(\?P</.test(pattern)) return undefined;
  let out = '';
  const stack: boolean[] = [];
  let ci = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      const body = pattern.slice(i + 1, j);
      out += '[' + (ci ? foldClass(body) : body) + ']';
      i = j;
      continue;
    }
    if (c === '(') {
      const flags = /^\(\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(pattern.slice(i));
      if (flags) {
        const on = flags[1]!.includes('i');
        const off = (flags[2] ?? '').includes('i');
        const next: boolean = on ? true : off ? false : ci;
        if (flags[3] === ')') {
          ci = next;
        } else {
          stack.push(ci);
          ci = next;
          out += '(?:';
        }
        i += flags[0].length - 1;
        continue;
      }
      if (pattern.startsWith('(?P<', i)) {
        out += '(?<';
        i += 3;
        stack.push(ci);
        continue;
      }
      stack.push(ci);
      out += c;
      continue;
    }
    if (c === ')') {
      ci = stack.pop() ?? ci;
      out += c;
      continue;
    }
    if (ci && /[a-zA-Z]/.test(c) && c.toLowerCase() !== c.toUpperCase()) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      continue;
    }
    out += c;
  }
  return out;
}

function foldClass(body: string): string {
  let extra = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (
      body[i + 1] === '-' &&
      body[i + 2] !== undefined &&
      /[a-zA-Z]/.test(c) &&
      /[a-zA-Z]/.test(body[i + 2]!)
    ) {
      const end = body[i + 2]!;
      const swap = (x: string): string => (x === x.toLowerCase() ? x.toUpperCase() : x.toLowerCase());
      extra += `${swap(c)}-${swap(end)}`;
      i += 2;
      continue;
    }
    if (/[a-zA-Z]/.test(c)) extra += c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
  }
  return body + extra;
}

/** A regex matcher whose RE2 pattern needed translation; `value` keeps the pattern as written. */
class Re2Matcher extends Matcher {
  private readonly translated: RegExp;
  constructor(type: MatchType, name: string, value: string, translated: string) {
    super(type, name, translated);
    Object.defineProperty(this, 'value', { value, enumerable: true });
    this.translated = new RegExp(`^(?:${translated})$`, 'su');
  }

  override matches(v: string): boolean {
    const m = this.translated.test(v);
    return this.type === '=~' ? m : !m;
  }
}

/** A label matcher from PromQL text, accepting RE2 syntax JavaScript lacks. */
export function newMatcher(type: MatchType, name: string, value: string): Matcher {
  if (type === '=~' || type === '!~') {
    const translated = translateRe2(value);
    if (translated !== undefined) return new Re2Matcher(type, name, value, translated);
  }
  return new Matcher(type, name, value);
}

/** An anchored JavaScript RegExp for an RE2 pattern (label_replace). */
export function re2ToRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${translateRe2(pattern) ?? pattern})$`, 'su');
}

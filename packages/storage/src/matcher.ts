import type { Labels } from '@tally/model';

export type MatchType = '=' | '!=' | '=~' | '!~';

/**
 * A label matcher. A label that is absent matches as the empty string (Prometheus):
 * `{x=""}` selects series without `x`, `{x!=""}` series that have it. Regular expressions
 * are fully anchored, as in Prometheus (`=~"a.*"` means `^(?:a.*)$`).
 */
export class Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  private readonly re: RegExp | undefined;

  constructor(type: MatchType, name: string, value: string) {
    this.type = type;
    this.name = name;
    this.value = value;
    if (type === '=~' || type === '!~') {
      try {
        // `s` flag: Go's RE2 `.` in Prometheus matchers matches newlines too.
        this.re = new RegExp(`^(?:${value})$`, 'su');
      } catch (err) {
        throw new InvalidMatcherError(
          `invalid regular expression ${JSON.stringify(value)} for label ${name}: ${(err as Error).message}`,
        );
      }
    }
  }

  /** Does a label value (`''` when the label is absent) match? */
  matches(value: string): boolean {
    switch (this.type) {
      case '=':
        return value === this.value;
      case '!=':
        return value !== this.value;
      case '=~':
        return this.re!.test(value);
      case '!~':
        return !this.re!.test(value);
    }
  }

  /** Does this matcher match the empty string (and so series lacking the label)? */
  matchesEmpty(): boolean {
    return this.matches('');
  }

  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

export class InvalidMatcherError extends Error {
  override readonly name = 'InvalidMatcherError';
}

/** Do all matchers accept this label set? */
export function matchLabels(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) {
    let value = '';
    for (const l of labels) {
      if (l.name === m.name) {
        value = l.value;
        break;
      }
    }
    if (!m.matches(value)) return false;
  }
  return true;
}

// Which metric family a sample belongs to, from its __name__.

/** The family a sample's __name__ belongs to (histogram/summary/counter suffixes). */
export function familyOf(name: string, known: ReadonlySet<string>): string {
  if (known.has(name)) return name;
  for (const suffix of ['_bucket', '_count', '_sum', '_total', '_created']) {
    if (name.endsWith(suffix) && known.has(name.slice(0, -suffix.length)))
      return name.slice(0, -suffix.length);
  }
  return name;
}

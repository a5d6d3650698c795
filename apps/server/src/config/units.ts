/** Parses a Prometheus-style duration (`15d`, `1h30m`, `250ms`, `0`) into milliseconds. */
export function parseDurationMs(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ms|y|w|d|h|m|s)/gy;
  const unitMs: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
    y: 31_536_000_000,
  };
  let total = 0;
  let matched = 0;
  for (let m = re.exec(trimmed); m; m = re.exec(trimmed)) {
    total += Number(m[1]) * unitMs[m[2]!]!;
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== trimmed.length) {
    throw new Error(`invalid duration ${JSON.stringify(text)}: expected e.g. 15d, 12h, 1h30m, 500ms or 0`);
  }
  return Math.round(total);
}

/** Parses a byte size (`64MiB`, `512KB`, `1048576`) into bytes. */
export function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i.exec(text.trim());
  if (!m)
    throw new Error(`invalid size ${JSON.stringify(text)}: expected e.g. 64MiB, 512KB or a number of bytes`);
  const unit = (m[2] ?? 'B').toLowerCase();
  const factor: Record<string, number> = {
    b: 1,
    kb: 1000,
    kib: 1024,
    mb: 1e6,
    mib: 1024 ** 2,
    gb: 1e9,
    gib: 1024 ** 3,
  };
  return Math.floor(Number(m[1]) * factor[unit]!);
}

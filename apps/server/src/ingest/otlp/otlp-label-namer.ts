// OTLP attribute keys to Prometheus label names, as Prometheus' OTLP receiver builds them
// (prometheus/otlptranslator LabelNamer; its test table is in ../shared/corpora/otlp/). Tally
// uses the receiver's defaults: underscore label sanitization and multiple underscores kept.

export interface LabelNamerOptions {
  readonly utf8Allowed: boolean;
  /** `_x` becomes `key_x` (a leading single underscore is reserved-looking). */
  readonly underscoreLabelSanitization: boolean;
  /** Keep runs of `_` instead of collapsing them to one. */
  readonly preserveMultipleUnderscores: boolean;
}

export const PROMETHEUS_OTLP_LABELS: LabelNamerOptions = {
  utf8Allowed: false,
  underscoreLabelSanitization: true,
  preserveMultipleUnderscores: true,
};

export class OtlpLabelNameError extends Error {
  override readonly name = 'OtlpLabelNameError';
}

const VALID_CHAR = /^[a-zA-Z0-9_]$/u;

export function buildLabelName(label: string, opts: LabelNamerOptions = PROMETHEUS_OTLP_LABELS): string {
  if (label === '') throw new OtlpLabelNameError('label name is empty');
  if (opts.utf8Allowed) {
    if (/^_+$/.test(label))
      throw new OtlpLabelNameError(`label name ${JSON.stringify(label)} contains only underscores`);
    return label;
  }
  let name = sanitize(label, opts.preserveMultipleUnderscores);
  if (name[0]! >= '0' && name[0]! <= '9') name = `key_${name}`;
  else if (opts.underscoreLabelSanitization && name.startsWith('_') && !name.startsWith('__'))
    name = `key${name}`;
  if (/^_+$/.test(name)) {
    throw new OtlpLabelNameError(
      `normalization for label name ${JSON.stringify(label)} resulted in invalid name ${JSON.stringify(name)}`,
    );
  }
  return name;
}

function sanitize(name: string, preserveMultipleUnderscores: boolean): string {
  const replaceInvalid = (s: string): string => {
    let out = '';
    for (const c of s) out += VALID_CHAR.test(c) ? c : '_';
    return out;
  };
  if (preserveMultipleUnderscores) return replaceInvalid(name);
  // A reserved-looking `__x__` keeps its outer double underscores; runs inside collapse.
  const reserved = name.length >= 4 && name.startsWith('__') && name.endsWith('__');
  const inner = replaceInvalid(reserved ? name.slice(2, -2) : name).replace(/_+/g, '_');
  return reserved ? `__${inner}__` : inner;
}

// OTLP/HTTP answers (OTLP spec, "OTLP/HTTP Response"): 200 with an ExportMetricsServiceResponse
// (partial_success when some points were rejected), or a 4xx/5xx with a google.rpc.Status —
// protobuf for a protobuf request, JSON for a JSON one.

export type OtlpEncoding = 'protobuf' | 'json';

export interface OtlpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function stringField(field: number, s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(bytes.length)]), bytes]);
}

/** 200: accepted, with `partial_success { rejected_data_points = 1; error_message = 2 }` when some were rejected. */
export function exportAnswer(
  encoding: OtlpEncoding,
  rejectedPoints: number,
  errorMessage: string,
): OtlpAnswer {
  let body: Buffer;
  if (encoding === 'json') {
    body = Buffer.from(
      JSON.stringify(
        rejectedPoints > 0 || errorMessage !== ''
          ? { partialSuccess: { rejectedDataPoints: String(rejectedPoints), errorMessage } }
          : {},
      ),
    );
  } else if (rejectedPoints > 0 || errorMessage !== '') {
    const inner = Buffer.concat([
      Buffer.from([0x08, ...varint(rejectedPoints)]),
      errorMessage !== '' ? stringField(2, errorMessage) : Buffer.alloc(0),
    ]);
    body = Buffer.concat([Buffer.from([0x0a, ...varint(inner.length)]), inner]);
  } else body = Buffer.alloc(0);
  return { status: 200, contentType: CONTENT_TYPES[encoding], body };
}

/** gRPC status codes for the HTTP statuses Tally answers with. */
function grpcCode(status: number): number {
  if (status === 400 || status === 413 || status === 415) return 3; // INVALID_ARGUMENT
  if (status === 401) return 16; // UNAUTHENTICATED
  if (status === 403) return 7; // PERMISSION_DENIED
  if (status === 429) return 8; // RESOURCE_EXHAUSTED
  if (status === 503) return 14; // UNAVAILABLE
  return 13; // INTERNAL
}

/** An error answer: `google.rpc.Status { int32 code = 1; string message = 2 }`. */
export function errorAnswer(encoding: OtlpEncoding, status: number, message: string): OtlpAnswer {
  const code = grpcCode(status);
  const body =
    encoding === 'json'
      ? Buffer.from(JSON.stringify({ code, message }))
      : Buffer.concat([Buffer.from([0x08, ...varint(code)]), stringField(2, message)]);
  return { status, contentType: CONTENT_TYPES[encoding], body };
}

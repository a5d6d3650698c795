import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { HttpError } from './http-error.js';

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    'too_large',
    `request body larger than the limit of ${maxBytes} bytes (--max-body-bytes)`,
  );
}

/**
 * Reads a request body, refusing more than `maxBytes` (413) before reading it all when
 * Content-Length says so, and un-gzipping `Content-Encoding: gzip` with the same limit on
 * the decompressed size (a small gzip bomb cannot get past it).
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge(maxBytes);
  }
  const encoding = (req.headers['content-encoding'] ?? '').toLowerCase().trim();
  if (encoding !== '' && encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'snappy') {
    req.resume();
    throw new HttpError(415, 'bad_data', `unsupported Content-Encoding ${JSON.stringify(encoding)}`);
  }
  const source = encoding === 'gzip' ? req.pipe(createGunzip()) : req;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        req.resume();
        throw tooLarge(maxBytes);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'bad_data', `cannot read the request body: ${(err as Error).message}`);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/** Reads and parses a JSON body. */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readBody(req, maxBytes);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, 'bad_data', `request body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Form parameters of a Prometheus API request: the query string, plus for a POST with
 * `application/x-www-form-urlencoded` the body (Prometheus' `r.ParseForm`).
 */
export async function readForm(req: IncomingMessage, url: URL, maxBytes: number): Promise<URLSearchParams> {
  const params = new URLSearchParams(url.search);
  if (req.method === 'POST') {
    const type = req.headers['content-type'] ?? '';
    const body = await readBody(req, maxBytes);
    if (type.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
    }
  }
  return params;
}

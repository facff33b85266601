import { createGunzip } from 'node:zlib';
import { PassThrough, Transform } from 'node:stream';
import { CustomErrorBase, InputError } from '@backstage/errors';
import { Request } from 'express';

/** The body is larger than allowed; rendered as 413 by the error middleware (`statusCode`). */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError';
  statusCode = 413;
}

/** The body's content type or encoding is not one the route reads; rendered as 415. */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError';
  statusCode = 415;
}

const JSON_TYPES = ['application/sarif+json', 'application/json'];

/**
 * Reads a JSON request body, gzip-compressed or not, refusing it as soon as it grows beyond
 * `limit` bytes once decompressed, so that neither a large upload nor a small gzip bomb is ever
 * held in memory whole.
 *
 * @param options.limitKey - the config key of the limit, named in the 413 message.
 * @throws PayloadTooLargeError beyond the limit; InputError when the body is not valid gzip or
 *   JSON (with the position); UnsupportedMediaTypeError for another content type or encoding.
 */
export async function readJsonBody(options: {
  req: Request;
  limit: number;
  limitKey: string;
}): Promise<unknown> {
  const { req, limit, limitKey } = options;
  const contentType = (req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (!JSON_TYPES.includes(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Send the SARIF log with Content-Type ${JSON_TYPES.join(' or ')}, not ${
        contentType || 'none'
      }`,
    );
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (!['identity', 'gzip', 'x-gzip'].includes(encoding)) {
    throw new UnsupportedMediaTypeError(
      `Content-Encoding ${encoding} is not supported: send the body as is or gzip-compressed`,
    );
  }
  const tooLarge = () =>
    new PayloadTooLargeError(
      `The report is larger than ${limit} bytes${
        encoding === 'identity' ? '' : ' once decompressed'
      }, the limit set by ${limitKey}`,
    );
  // Compressed data is never much larger than what it decompresses to.
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit + 1024) {
    throw tooLarge();
  }

  // Read through a stream of our own: leaving the loop early destroys it, and must not destroy
  // the request, whose connection still carries the answer.
  const source: Transform =
    encoding === 'identity' ? new PassThrough() : createGunzip();
  req.pipe(source);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    // Stop reading and decompressing at once.
    req.unpipe(source);
    source.destroy();
    if (
      encoding !== 'identity' &&
      (error as { code?: string }).code?.startsWith('Z_')
    ) {
      throw new InputError(
        `The body is not valid gzip data: ${(error as Error).message}`,
      );
    }
    throw error;
  }

  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    // Node's message names the position ("at position 12 (line 1 column 13)") or quotes the
    // text around an unexpected token, except at the end of the input: say where that is.
    const message = (error as Error).message;
    throw new InputError(
      `The body is not valid JSON: ${message}${
        /end of JSON input/.test(message)
          ? ` at position ${text.length}: the report is cut short`
          : ''
      }`,
    );
  }
}

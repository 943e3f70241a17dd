import type { Request } from 'express';
import { formatOf, SUPPORTED_CONTENT_TYPES, type PayloadFormat } from '@platform/pipeline';
import { ApiError } from '../errors/api-error.js';

/** Vendor bodies arrive as bytes (see configure-app.ts): archived as received before anything parses them. */
export function bodyBytes(request: Request): Buffer {
  if (Buffer.isBuffer(request.body) && request.body.length > 0) return request.body;
  throw new ApiError('malformed-body', { nl: 'De body is leeg.', en: 'The body is empty.' }, 'body');
}

/** The body as text: UTF-8 (invalid sequences become U+FFFD and then fail to parse where they matter). */
export function bodyText(bytes: Buffer): string {
  return bytes.toString('utf8');
}

export function payloadFormat(request: Request): PayloadFormat {
  const format = formatOf(request.headers['content-type']);
  if (!format) {
    throw new ApiError(
      'unsupported-media-type',
      {
        nl: `Content-Type ${request.headers['content-type']} wordt niet gelezen; gebruik ${Object.keys(SUPPORTED_CONTENT_TYPES).join(', ')}.`,
        en: `Content-Type ${request.headers['content-type']} is not read; use ${Object.keys(SUPPORTED_CONTENT_TYPES).join(', ')}.`,
      },
      'header Content-Type',
    );
  }
  return format;
}

export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    throw new ApiError('malformed-body', { nl: `Geen geldige JSON: ${message}`, en: `Not valid JSON: ${message}` }, 'body');
  }
}

import type { Request } from 'express';
import { formatOf, type PayloadFormat } from '@platform/pipeline';
import { ApiError } from '../errors/api-error.js';

/** Vendor bodies arrive as text (see main.ts): archived byte for byte before anything parses them. */
export function bodyText(request: Request): string {
  if (typeof request.body === 'string' && request.body.length > 0) return request.body;
  throw new ApiError('malformed-body', { nl: 'De body is leeg.', en: 'The body is empty.' }, 'body');
}

export function payloadFormat(request: Request): PayloadFormat {
  const format = formatOf(request.headers['content-type']);
  if (!format) {
    throw new ApiError(
      'unsupported-media-type',
      {
        nl: `Content-Type ${request.headers['content-type']} wordt niet gelezen; gebruik application/json, application/ld+json, text/turtle of application/n-triples.`,
        en: `Content-Type ${request.headers['content-type']} is not read; use application/json, application/ld+json, text/turtle or application/n-triples.`,
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

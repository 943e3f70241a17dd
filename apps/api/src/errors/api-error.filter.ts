import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { MalformedPayloadError } from '@platform/pipeline';
import { InvalidCursorError } from '@platform/storage';
import { InvalidFiltersError, TargetRefusedError } from '@platform/webhooks';
import { ApiError, statusOf } from './api-error.js';

/** Body-parser errors carry a `type` (express' own convention). */
interface ParserError {
  type?: string;
  status?: number;
  message?: string;
}

/**
 * Postgres errors that only a value from the request can cause: invalid text for a type (a malformed
 * uuid, 22P02) and bytes text cannot hold (a NUL character, 22021). Found by the hostile-input tests.
 */
const INPUT_ERROR_CODES = new Set(['22P02', '22021']);

function toApiError(exception: unknown): ApiError {
  if (exception instanceof ApiError) return exception;
  if (exception instanceof QueryFailedError && INPUT_ERROR_CODES.has(String((exception.driverError as { code?: unknown } | undefined)?.code))) {
    return new ApiError(
      'invalid-argument',
      {
        nl: 'Een waarde in het pad, de query of de body is ongeldig (bv. een NUL-teken, of een id die geen uuid is).',
        en: 'A value in the path, query or body is invalid (e.g. a NUL character, or an id that is not a uuid).',
      },
      'request',
    );
  }
  if (exception instanceof MalformedPayloadError) return new ApiError('malformed-body', exception.messages, exception.where);
  if (exception instanceof InvalidFiltersError) return new ApiError('invalid-argument', exception.problem.message, exception.problem.where);
  if (exception instanceof TargetRefusedError) return new ApiError('target-refused', exception.messages, 'body /url');
  if (exception instanceof InvalidCursorError) {
    return new ApiError('invalid-argument', { nl: exception.message, en: exception.message }, 'after');
  }
  const parserError = exception as ParserError;
  if (parserError?.type === 'entity.too.large') {
    return new ApiError('payload-too-large', {
      nl: 'De body is groter dan toegelaten (MAX_BODY_BYTES). Splits de batch op.',
      en: 'The body is larger than allowed (MAX_BODY_BYTES). Split the batch.',
    });
  }
  if (parserError?.type === 'entity.parse.failed') {
    return new ApiError('malformed-body', { nl: `Geen geldige JSON: ${parserError.message}`, en: `Not valid JSON: ${parserError.message}` }, 'body');
  }
  if (exception instanceof HttpException && exception.getStatus() === 413) return toApiError({ type: 'entity.too.large' });
  if (exception instanceof HttpException && exception.getStatus() === 404) {
    return new ApiError('resource-not-found', { nl: 'Deze route bestaat niet.', en: 'No such route.' });
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    return new ApiError('invalid-argument', { nl: exception.message, en: exception.message });
  }
  return new ApiError('internal', { nl: 'Interne fout; ze is gelogd.', en: 'Internal error; it has been logged.' });
}

/** The one place where errors become HTTP answers: `{ error: { code, message: {nl, en}, where, details } }`. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const error = toApiError(exception);
    if (error.code === 'internal') this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    response.status(statusOf(error.code)).json({
      error: { code: error.code, message: error.messages, where: error.where, details: error.details },
    });
  }
}

/** Every error the HTTP API answers with, by code; one filter maps codes to statuses. */
export type ApiErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'source-not-found'
  | 'batch-not-found'
  | 'resource-not-found'
  | 'key-not-found'
  | 'connector-not-found'
  | 'run-not-found'
  | 'consumer-not-found'
  | 'webhook-not-found'
  | 'source-exists'
  | 'consumer-exists'
  | 'webhook-disabled'
  | 'target-refused'
  | 'run-in-progress'
  | 'already-linked'
  | 'peer-group-too-small'
  | 'malformed-body'
  | 'unsupported-media-type'
  | 'not-acceptable'
  | 'payload-too-large'
  | 'rate-limited'
  | 'invalid-argument'
  | 'timeout'
  | 'not-configured'
  | 'internal';

export interface BilingualMessage {
  nl: string;
  en: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly messages: BilingualMessage,
    /** Where in the request the problem is (a header, a parameter, a line of the body). */
    readonly where?: string,
    readonly details?: unknown,
  ) {
    super(messages.en);
  }
}

export function statusOf(code: ApiErrorCode): number {
  switch (code) {
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'source-not-found':
    case 'batch-not-found':
    case 'resource-not-found':
    case 'key-not-found':
    case 'connector-not-found':
    case 'run-not-found':
    case 'consumer-not-found':
    case 'webhook-not-found':
      return 404;
    case 'source-exists':
    case 'consumer-exists':
    case 'webhook-disabled':
    case 'run-in-progress':
    case 'already-linked':
    case 'peer-group-too-small':
      return 409;
    case 'malformed-body':
    case 'invalid-argument':
    case 'target-refused':
      return 400;
    case 'unsupported-media-type':
      return 415;
    case 'not-acceptable':
      return 406;
    case 'payload-too-large':
      return 413;
    case 'rate-limited':
      return 429;
    case 'timeout':
      return 504;
    case 'not-configured':
      return 503;
    case 'internal':
      return 500;
  }
}

export type { ItemProblem } from '@platform/domain';

/** A whole payload that cannot be read (400): the where and why of the first error. */
export class MalformedPayloadError extends Error {
  constructor(
    readonly where: string,
    readonly messages: { nl: string; en: string },
  ) {
    super(messages.en);
  }
}

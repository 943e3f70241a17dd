import type { Connector } from './connector.js';

/** Every connector by source kind. A kind without an entry has no pull connector (push only). */
export const CONNECTORS: Partial<Record<string, Connector<unknown>>> = {};

export function connectorFor(kind: string): Connector<unknown> | undefined {
  return CONNECTORS[kind];
}

import type { Connector } from './connector.js';
import { ldesConnector } from './ldes/ldes-connector.js';
import { rpdeConnector } from './rpde/rpde-connector.js';
import { uitdatabankConnector } from './uitdatabank/uitdatabank.connector.js';
import { yesplanConnector } from './yesplan/yesplan.connector.js';
import { ticketmaticConnector } from './ticketmatic/ticketmatic-connector.js';

/** Every connector by source kind. A kind without an entry has no pull connector (push only). */
export const CONNECTORS: Partial<Record<string, Connector<unknown>>> = {
  rpde: rpdeConnector as Connector<unknown>,
  ldes: ldesConnector as Connector<unknown>,
  uitdatabank: uitdatabankConnector,
  yesplan: yesplanConnector as Connector<unknown>,
  ticketmatic: ticketmaticConnector as Connector<unknown>,
};

export function connectorFor(kind: string): Connector<unknown> | undefined {
  return CONNECTORS[kind];
}

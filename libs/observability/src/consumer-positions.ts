/** One consumer of the change log (an RPDE client, an LDES replicator, a webhook subscription) and the last seq it has. */
export interface ConsumerPosition {
  consumer: string;
  seq: number;
}

export type ConsumerKind = 'rpde' | 'ldes' | 'webhook' | (string & {});

/**
 * Where feed and webhook code report how far each consumer has read the change log, so /metrics can
 * show head vs. position (the lag an operator alerts on). A reader is a function called at scrape
 * time: positions kept in the database (webhook subscriptions) are then the same on every replica.
 */
export class ConsumerPositions {
  private readonly readers = new Map<ConsumerKind, () => Promise<ConsumerPosition[]>>();

  /** Registers (or replaces) the reader of one kind of consumer. */
  register(kind: ConsumerKind, read: () => Promise<ConsumerPosition[]>): void {
    this.readers.set(kind, read);
  }

  async read(): Promise<Array<ConsumerPosition & { kind: ConsumerKind }>> {
    const all: Array<ConsumerPosition & { kind: ConsumerKind }> = [];
    for (const [kind, read] of this.readers) for (const position of await read()) all.push({ ...position, kind });
    return all;
  }
}

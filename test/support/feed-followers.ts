import { Parser } from 'n3';

/**
 * Consumers of the platform's feeds, as a calendar developer writes them: they follow the links the
 * feeds publish (RPDE `next`, LDES `tree:relation`s), poll the open end, and keep going through errors
 * (a fault test cuts the database or kills processes under them). They record what they saw so a
 * test can hold it against the change log.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CHANGE_NUMBER = 'https://w3id.org/cultuurdata-platform/ns#changeNumber';
const TREE_NODE = 'https://w3id.org/tree#node';

export interface RpdeItem {
  state: 'updated' | 'deleted';
  id: string;
  modified: number;
}

abstract class Follower {
  /** Requests that failed (connection refused, 5xx): retried, counted to show the faults were felt. */
  failures = 0;
  private finishing = false;
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(protected readonly pollMs: number) {
    this.done = Promise.resolve().then(() => this.run());
  }

  /** One pass over the feed; answers whether it is at the end (nothing more to read now). */
  protected abstract pass(): Promise<boolean>;

  private async run(): Promise<void> {
    while (!this.stopped) {
      const finishing = this.finishing;
      let atEnd = false;
      try {
        atEnd = await this.pass();
      } catch {
        this.failures += 1;
        await sleep(100);
        continue;
      }
      // Told to finish before a pass that reached the end: nothing committed before then was missed.
      if (atEnd && finishing) return;
      if (atEnd) await sleep(this.pollMs);
    }
  }

  /** Reads to the end once more, then stops. */
  async finish(): Promise<this> {
    this.finishing = true;
    await this.done;
    return this;
  }

  /** Stops without reading further (a test's clean-up). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  protected async fetchOk(url: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(url, { headers });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`${url}: HTTP ${response.status}`);
    }
    return response;
  }
}

/** An RPDE consumer: follows `next` from the first page, polls the last page. */
export class RpdeFollower extends Follower {
  readonly items: RpdeItem[] = [];
  /** Items that came at or behind the cursor the consumer had passed (a duplicate, or a gap filled late). */
  readonly behindCursor: string[] = [];
  cursor = 0;
  private url: string;

  constructor(start: string, pollMs = 15) {
    super(pollMs);
    this.url = start;
  }

  protected async pass(): Promise<boolean> {
    const body = (await (await this.fetchOk(this.url)).json()) as { next: string; items: RpdeItem[] };
    for (const item of body.items) {
      if (item.modified <= this.cursor) this.behindCursor.push(`${item.id}@${item.modified} after cursor ${this.cursor}`);
      this.cursor = Math.max(this.cursor, item.modified);
      this.items.push({ state: item.state, id: item.id, modified: item.modified });
    }
    this.url = body.next;
    return body.items.length === 0;
  }

  /** Each entity at the change number the consumer saw last for it. */
  latest(): Map<string, number> {
    return new Map(this.items.map((item) => [item.id, item.modified]));
  }
}

/** An LDES consumer: reads the view's relations to every page, each page until it is immutable, and the open ones again. */
export class LdesFollower extends Follower {
  /** change number -> version IRI */
  readonly seen = new Map<number, string>();
  /** Members discovered behind what was already read, or a change number that came back as another version. */
  readonly behind: string[] = [];
  readonly fullPages = new Map<string, string>();
  highest = 0;

  constructor(
    private readonly stream: string,
    pollMs = 15,
  ) {
    super(pollMs);
  }

  protected async pass(): Promise<boolean> {
    const view = await (await this.fetchOk(`${this.stream}/view`, { accept: 'application/n-triples' })).text();
    const pages = [...new Set(new Parser().parse(view).filter((quad) => quad.predicate.value === TREE_NODE).map((quad) => quad.object.value))].sort(
      (left, right) => Number(left.split('/').at(-1)!.split('-')[0]) - Number(right.split('/').at(-1)!.split('-')[0]),
    );
    const before = this.highest;
    for (const page of pages) {
      if (this.fullPages.has(page)) continue;
      const response = await this.fetchOk(page, { accept: 'application/n-triples' });
      const text = await response.text();
      const members = new Parser({ baseIRI: page })
        .parse(text)
        .filter((quad) => quad.predicate.value === CHANGE_NUMBER)
        .map((quad) => ({ version: quad.subject.value, seq: Number(quad.object.value) }));
      const fresh = members.filter((member) => {
        const known = this.seen.get(member.seq);
        if (known !== undefined && known !== member.version) this.behind.push(`${member.seq} came back as ${member.version} (was ${known})`);
        return known === undefined;
      });
      for (const member of fresh) {
        // A member the consumer did not have yet must come after everything it had read before.
        if (member.seq < this.highest) this.behind.push(`${member.version} after ${this.highest}`);
        this.seen.set(member.seq, member.version);
      }
      this.highest = Math.max(this.highest, ...fresh.map((member) => member.seq));
      if (response.headers.get('cache-control')?.includes('immutable')) this.fullPages.set(page, text);
    }
    return this.highest === before;
  }
}

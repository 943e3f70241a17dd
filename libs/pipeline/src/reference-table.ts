/** A reference to a place or organizer: the source's id, an IRI, or both. */
export interface Reference {
  externalId?: string;
  iri?: string;
}

/**
 * The places (or organizers) a batch can refer to: those described in the batch, by the source's id and
 * by the IRI its RDF gives them, then those the source stored before, by id or under an IRI it used.
 */
export class ReferenceTable<T> {
  private readonly byId = new Map<string, T>();
  private readonly byIri = new Map<string, T>();
  private readonly storedById = new Map<string, T>();
  private readonly storedIdByIri = new Map<string, string>();

  /** The first description in the batch wins. */
  add(externalId: string, value: T, iri?: string): void {
    if (!this.byId.has(externalId)) this.byId.set(externalId, value);
    if (iri !== undefined && !this.byIri.has(iri)) this.byIri.set(iri, value);
  }

  /** Loads what the batch itself does not describe: two queries whatever the number of references. */
  async loadStored(
    references: Reference[],
    idsByIri: (iris: string[]) => Promise<Map<string, string>>,
    byIds: (externalIds: string[]) => Promise<Map<string, T>>,
  ): Promise<void> {
    const open = references.filter((reference) => this.inBatch(reference) === undefined);
    const iris = [...new Set(open.flatMap((reference) => (reference.iri !== undefined ? [reference.iri] : [])))];
    for (const [iri, externalId] of await idsByIri(iris)) this.storedIdByIri.set(iri, externalId);
    // A source that pushed a place without an identifier stored it under its IRI: the IRI is an id too.
    const ids = new Set([...open.flatMap((reference) => (reference.externalId !== undefined ? [reference.externalId] : [])), ...iris, ...this.storedIdByIri.values()]);
    for (const [externalId, value] of await byIds([...ids])) this.storedById.set(externalId, value);
  }

  find(externalId: string | undefined, iri: string | undefined): T | undefined {
    return this.inBatch({ externalId, iri }) ?? this.stored({ externalId, iri });
  }

  private inBatch({ externalId, iri }: Reference): T | undefined {
    return (externalId !== undefined ? this.byId.get(externalId) : undefined) ?? (iri !== undefined ? (this.byIri.get(iri) ?? this.byId.get(iri)) : undefined);
  }

  private stored({ externalId, iri }: Reference): T | undefined {
    if (externalId !== undefined && this.storedById.has(externalId)) return this.storedById.get(externalId);
    if (iri === undefined) return undefined;
    const mapped = this.storedIdByIri.get(iri);
    return (mapped !== undefined ? this.storedById.get(mapped) : undefined) ?? this.storedById.get(iri);
  }
}

import { beforeAll, describe, expect, it } from '@jest/globals';
import { PREFIXES, TERMS } from '@platform/linked-data';
import { BelgianGeography, stripTicket, syntheticTickets, type SyntheticPerformance } from '@platform/research';
import type { ParticipationRow, PerformanceContext } from '@platform/storage';
import { defaultShapeFiles, ShaclValidator } from '@platform/validation';
import type { Literal, Quad } from '@rdfjs/types';
import fc from 'fast-check';
import { DataFactory } from 'n3';
// the mutations and the comparison the activity equivalence spec uses too
import { applyCommonMutation, COMMON_KINDS, expectSameOutcome, GraphEdit, isIllFormed, isLiteral, isType, pick, type CommonKind, type Mutation, type MutationValues } from '../../../validation/src/testing/engine-equivalence.js';
import { ticketRow } from './participation-ingest.service.js';
import { TicketGraphBuilder } from './ticket-graph.js';

// Participation items are validated like activities (docs/shacl-compiler.md): the compiled shapes and
// shacl-engine must give the same multiset of results (focus node, path, constraint, value, source shape,
// severity, and the same bilingual message) on the graphs of stored tickets mutated per constraint of
// shapes/cultuurparticipatie-deelname.ttl (and the Periode, Geldbedrag and Identificator shapes they use).
// 100 runs x 50 = 5,000 ticket graphs reach every constraint kind of these shapes (asserted below); EQUIVALENCE_RUNS raises it.
const RUNS = Number(process.env.EQUIVALENCE_RUNS ?? 100);
const ITEMS_PER_RUN = 50;
const { namedNode, literal, quad } = DataFactory;
const { cp, cdp, xsd, sh: SH, platform } = PREFIXES;
const KEY = 'ticket-shacl-spec-key';
const SOURCE = 'tickets';
const CONTEXT = { publicBaseUrl: 'https://data.example.be', processedAt: '2026-11-22T10:00:00Z' };
const NOW = new Date('2026-11-22T10:00:00Z');

let reference: ShaclValidator;
let compiled: ShaclValidator;
let geography: BelgianGeography;
let rows: ParticipationRow[];

const PERFORMANCES: SyntheticPerformance[] = [
  { externalId: 'perf-a', start: new Date('2026-10-10T20:00:00Z'), activityType: 'concert', venuePostcode: '9000', capacity: 400, prices: [{ category: 'basis', amount: 20 }, { category: 'kansentarief', amount: 5 }, { category: 'uitpas', amount: 4 }] },
  { externalId: 'perf-b', start: new Date('2026-09-01T14:00:00+02:00'), activityType: 'tentoonstelling', venuePostcode: '3000', prices: [{ category: 'gratis', amount: 0 }, { category: 'tarief', amount: 7.5 }] },
];
const CONTEXTS = new Map<string, PerformanceContext>(
  PERFORMANCES.map((performance, index) => [
    performance.externalId,
    {
      performanceId: `00000000-0000-4000-8000-00000000000${index}`,
      activityId: `00000000-0000-4000-8000-00000000010${index}`,
      organizerId: index === 0 ? '00000000-0000-4000-8000-000000000200' : null,
      placeId: '00000000-0000-4000-8000-000000000300',
      postalCode: performance.venuePostcode,
      typeIri: null,
      themeIri: null,
      start: performance.start,
    },
  ]),
);

/** Stored rows of every kind the strip produces: with and without participant, sector, country, attendance, order. */
function storedRows(): ParticipationRow[] {
  const strip = { sourceId: SOURCE, pseudonymKey: KEY, geography, now: NOW };
  const raw: unknown[] = [...syntheticTickets(PERFORMANCES, geography, { tickets: 60, seed: 3, idPrefix: 'spec-' })];
  raw.push(
    { id: 'bare', performance: 'perf-a', soldAt: '2026-10-01T10:00:00Z' },
    { id: 'abroad', performance: 'perf-b', soldAt: '2026-08-01T10:00:00Z', channel: 'phone', status: 'cancelled', participant: { email: 'x@example.org', country: 'NL', birthYear: 1950 } },
    { id: 'sector', performance: 'perf-b', soldAt: '2026-08-01T10:00:00Z', attended: false, participant: { statisticalSector: '24062A00-' } },
  );
  return raw.map((ticket, position) => {
    const item = stripTicket(ticket, position, strip);
    if (!item.ticket) throw new Error(`spec ticket ${position} did not strip: ${JSON.stringify(item.problems)}`);
    return ticketRow(item.ticket, CONTEXTS.get(item.ticket.performance)!, SOURCE, KEY, geography);
  });
}

beforeAll(async () => {
  reference = await ShaclValidator.fromFiles(defaultShapeFiles());
  compiled = await ShaclValidator.fromFiles(defaultShapeFiles(), { engine: 'compiled' });
  geography = BelgianGeography.load();
  rows = storedRows();
});

const CONCEPTS = [`${cdp}prijscategorie`, `${cdp}verkoopkanaal`, `${cdp}ticketstatus`];
const OUTSIDE_IN = ['https://w3id.org/cultuurdata-platform/id/concept/PrijsCategorieType/vip', 'https://data.cultuurparticipatie.be/id/concept/PrijsCategorieType/abonnement', 'https://w3id.org/cultuurdata-platform/id/concept/Verkoopkanaal/app', 'https://w3id.org/cultuurdata-platform/id/concept/TicketStatus/refunded'];
const DATATYPES = ['string', 'integer', 'decimal', 'dateTime', 'boolean', 'anyURI', 'gYear', 'date'].map((name) => namedNode(`${xsd}${name}`));
const ILL_FORMED = ['12,5', 'abc', '2026-13-45T25:00:00', '', '-000001-01-01T00:00:00Z', 'tru', '84', ' 7', '+010000-01-01T00:00:00Z'];
const PATTERNED = [`${cdp}woonplaatsNis`, `${cdp}woonland`, TERMS.currency];
const OFF_PATTERN = ['0999', '440210', 'be', 'BEL', '4402', 'eur', 'EURO', ''];
const CLASSES = [`${cp}Ticket`, `${cp}Transactie`, `${cp}Deelname`, `${cp}Participant`, TERMS.Periode, TERMS.Geldbedrag, TERMS.Identificator, TERMS.GestructureerdeIdentificator, `${PREFIXES.dcterms}Agent`, `${cp}ParticipantProfiel`];
/** Optional OSLO properties a vendor's RDF could carry (class and cardinality checks of the shapes that copied them). */
const OPTIONAL = [`${cp}Ticket.geldigheid`, `${cp}Transactie.aangekochtDoor`, `${cp}Transactie.ticket`, `${cp}Deelname.deelnamerecht`, `${cp}Participant.heeftRelatieMet`, `${cp}transactie`, `${cp}Participant.neemtDeelAan`, `${platform}statistischeSectorNaam`, `${PREFIXES.schema}typicalAgeRange`];
const NUMBERS = ['-1', '0', '-0.01', '100000', '12.345'];

type MutationKind = CommonKind | 'brokenPattern' | 'outsideIn' | 'optional' | 'number' | 'emptyOrder';
const KINDS: MutationKind[] = [...COMMON_KINDS, 'brokenPattern', 'outsideIn', 'optional', 'number', 'emptyOrder'];
type TicketMutation = Mutation<MutationKind>;

const VALUES: MutationValues = {
  datatypes: DATATYPES,
  illFormed: ILL_FORMED,
  classes: CLASSES,
  // the references between a ticket's own nodes (transaction, participation, participant)
  danglingTarget: (candidate) => candidate.object.value.includes('/id/ticket/'),
};

/** Applies one mutation in place; `id` keeps new IRIs and blank nodes unique per item. */
function mutate(quads: Quad[], mutation: TicketMutation, id: string): void {
  if (applyCommonMutation(quads, mutation, id, VALUES)) return;
  const { at, variant } = mutation;
  const edit = new GraphEdit(quads, at);
  switch (mutation.kind) {
    case 'brokenPattern': {
      const index = edit.where((candidate) => PATTERNED.includes(candidate.predicate.value));
      if (index !== -1) edit.replaceObject(index, literal(pick(OFF_PATTERN, variant)));
      else {
        // a participant without the optional value gets a wrong one
        const participant = quads.find((candidate) => candidate.object.value === `${cp}Participant`)?.subject;
        if (participant) quads.push(quad(participant, namedNode(pick(PATTERNED.slice(0, 2), variant)), literal(pick(OFF_PATTERN, at))) as Quad);
      }
      return;
    }
    case 'outsideIn': {
      const index = edit.where((candidate) => CONCEPTS.includes(candidate.predicate.value));
      edit.replaceObject(index, variant % 5 === 4 ? literal('basis') : namedNode(pick(OUTSIDE_IN, variant)));
      return;
    }
    case 'optional': {
      // an optional OSLO property with a value of some class (or a literal)
      const subject = quads[edit.where(isType)].subject;
      const predicate = pick(OPTIONAL, variant);
      const object = variant % 3 === 0 ? literal(`v${at}`) : namedNode(pick(quads.filter(isType).map((candidate) => candidate.subject.value), at));
      quads.push(quad(subject, namedNode(predicate), object) as Quad);
      return;
    }
    case 'number': {
      const index = edit.where((candidate) => candidate.predicate.value === TERMS.value && isLiteral(candidate));
      if (index !== -1) edit.replaceObject(index, literal(pick(NUMBERS, variant), namedNode((quads[index].object as Literal).datatype.value)));
      return;
    }
    case 'emptyOrder': {
      const transaction = quads.find((candidate) => candidate.object.value === `${cp}Transactie`)?.subject;
      if (transaction) quads.push(quad(transaction, namedNode(`${cdp}bestelling`), variant % 2 === 0 ? literal('') : literal('O-2')) as Quad);
      return;
    }
  }
}

const RANGE = new Set(['MinInclusive', 'MaxInclusive', 'MinExclusive', 'MaxExclusive'].map((name) => `${SH}${name}ConstraintComponent`));

/** The departures of shacl-engine from SHACL that these graphs can reach (docs/shacl-compiler.md); undefined: none. */
function departure(key: string, quads: Quad[]): string | undefined {
  const [focus, , constraint, value] = JSON.parse(key) as [string, string | null, string, string | null];
  if (constraint === `${SH}PatternConstraintComponent` && value?.startsWith('_:')) return 'sh:pattern on a blank node (shacl-engine matches its label)';
  // a price whose lexical form is not one of its datatype: not comparable (shacl-engine compares its parseFloat prefix)
  if (RANGE.has(constraint) && quads.some((candidate) => candidate.subject.value === focus && candidate.object.value === value && isIllFormed(candidate.object))) {
    return 'comparison with an ill-formed literal';
  }
  return undefined;
}

describe('participation tickets: SHACL of what is stored', () => {
  it('makes a graph of every kind of stored ticket that conforms in both engines', async () => {
    const graphBuilder = new TicketGraphBuilder(SOURCE, CONTEXT);
    const graphs = rows.map((row) => graphBuilder.quads(row));
    const [expected, actual] = await Promise.all([reference.validateBatch(graphs), compiled.validateBatch(graphs)]);
    expect(expected.flatMap((outcome) => outcome.results)).toEqual([]);
    expect(actual.flatMap((outcome) => outcome.results)).toEqual([]);
    // every optional part occurs somewhere, and no personal data exists in a graph to begin with
    const predicates = new Set(graphs.flat().map((candidate) => candidate.predicate.value));
    for (const predicate of [`${cdp}bestelling`, `${cdp}aanwezig`, `${platform}geboortejaar`, `${platform}statistischeSectorId`, `${cdp}woonplaatsNis`, `${cdp}woonland`]) expect(predicates).toContain(predicate);
    const text = JSON.stringify(graphs.flat().map((candidate) => candidate.object.value));
    expect(text).not.toContain('@example.org');
  });

  it('rejects a sale time outside xsd:dateTime (a year before 1) with its SHACL result, in both engines', async () => {
    const strip = { sourceId: SOURCE, pseudonymKey: KEY, geography, now: NOW };
    const item = stripTicket({ id: 'old', performance: 'perf-a', soldAt: '-000001-06-01T00:00:00Z' }, 0, strip);
    const row = ticketRow(item.ticket!, CONTEXTS.get('perf-a')!, SOURCE, KEY, geography);
    const graph = new TicketGraphBuilder(SOURCE, CONTEXT).quads(row);
    for (const validator of [reference, compiled]) {
      const outcome = await validator.validate(graph);
      expect(outcome.conforms).toBe(false);
      expect(outcome.results).toEqual([
        expect.objectContaining({
          focusNode: `https://data.example.be/id/ticket/${row.id}#transactie`,
          path: 'cp:Transactie.tijdstip',
          value: '-000001-06-01T00:00:00.000Z',
          constraint: `${SH}DatatypeConstraintComponent`,
          sourceShape: 'https://data.vlaanderen.be/doc/applicatieprofiel/cultuurparticipatie/erkendestandaard/2024-09-11#TransactieShape/4871811d8d5f50d25ff627cd32699aace01c70a4',
          message: { nl: expect.stringContaining('xsd:dateTime'), en: expect.stringContaining('xsd:dateTime') },
        }),
      ]);
    }
  });

  it(`gives the same results in both engines on ${RUNS * ITEMS_PER_RUN} mutated ticket graphs`, async () => {
    const graphBuilder = new TicketGraphBuilder(SOURCE, CONTEXT);
    let graphs = 0;
    let failing = 0;
    const constraints = new Map<string, number>();
    let run = 0;
    const mutationArbitrary: fc.Arbitrary<TicketMutation> = fc.record({ kind: fc.constantFrom(...KINDS), at: fc.nat(), variant: fc.nat() });
    const itemArbitrary = fc.record({ row: fc.nat({ max: rows.length - 1 }), mutations: fc.array(mutationArbitrary, { minLength: 0, maxLength: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(itemArbitrary, { minLength: ITEMS_PER_RUN, maxLength: ITEMS_PER_RUN }), async (items) => {
        run++;
        const batch = items.map(({ row, mutations }, position) => {
          const id = `r${run}i${position}`;
          // a ticket of its own (its own IRIs); one in five keeps its performance (and so shares that
          // performance's period node with other items, as tickets of one performance do in a batch)
          const unique = String(run * 100 + position).padStart(12, '0');
          const performanceId = position % 5 === 0 ? rows[row].performanceId : `${rows[row].performanceId.slice(0, 24)}${unique}`;
          const quads = graphBuilder.quads({ ...rows[row], id: `${rows[row].id.slice(0, 24)}${unique}`, performanceId });
          for (const mutation of mutations) mutate(quads, mutation, id);
          return quads;
        });
        const [expected, actual] = await Promise.all([reference.validateBatch(batch), compiled.validateBatch(batch)]);
        for (let item = 0; item < batch.length; item++) {
          graphs++;
          if (!expected[item].conforms) failing++;
          for (const result of expected[item].results) constraints.set(result.constraint.replace(SH, 'sh:'), (constraints.get(result.constraint.replace(SH, 'sh:')) ?? 0) + 1);
          expectSameOutcome(expected[item], actual[item], (key) => departure(key, batch[item]), () => `item ${item}: ${JSON.stringify(items[item])}`);
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(graphs).toBeGreaterThanOrEqual(RUNS * ITEMS_PER_RUN);
    expect(failing).toBeGreaterThan(graphs / 4);
    expect(failing).toBeLessThan(graphs);
    // the mutations reach the constraint kinds of the participation shapes
    for (const component of ['MinCount', 'MaxCount', 'Datatype', 'NodeKind', 'Class', 'In', 'Pattern', 'MinLength', 'MinInclusive']) {
      expect([component, constraints.has(`sh:${component}ConstraintComponent`)]).toEqual([component, true]);
    }
    // eslint-disable-next-line no-console
    console.info(`${graphs} ticket graphs (${failing} not conforming); results by constraint: ${JSON.stringify(Object.fromEntries(constraints))}`);
  }, 300_000);
});

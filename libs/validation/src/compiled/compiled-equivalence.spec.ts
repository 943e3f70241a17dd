import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Activity, Place } from '@platform/domain';
import { activityToQuads, organizerToQuads, placeToQuads, PREFIXES, TERMS } from '@platform/linked-data';
import type { Literal, Quad } from '@rdfjs/types';
import fc from 'fast-check';
import { DataFactory } from 'n3';
import { aPerformance, anActivity } from '../../../../test/support/factories.js';
import { defaultShapeFiles, ShaclValidator } from '../shacl-validator.js';
import { applyCommonMutation, expectSameOutcome, GraphEdit, isIllFormed, isLiteral, pick, type Mutation, type MutationValues } from '../testing/engine-equivalence.js';

// Property test: the compiled shapes and shacl-engine give the same multiset of results (focus node,
// path, constraint component, value, source shape, severity) on valid platform graphs mutated per
// constraint. 200 runs x 50 items = 10,000 graphs, each run validated as one batch by both engines.
const RUNS = Number(process.env.EQUIVALENCE_RUNS ?? 200);
const ITEMS_PER_RUN = 50;
const { namedNode, literal, quad } = DataFactory;
const XSD = PREFIXES.xsd;
const SH = PREFIXES.sh;
const SCHEMA = PREFIXES.schema;
const CONTEXT = { sourceId: 'prop', publicBaseUrl: 'https://data.example.be', processedAt: '2026-11-22T10:00:00Z' };

let reference: ShaclValidator;
let compiled: ShaclValidator;

beforeAll(async () => {
  reference = await ShaclValidator.fromFiles(defaultShapeFiles());
  compiled = await ShaclValidator.fromFiles(defaultShapeFiles(), { engine: 'compiled' });
});

/** Valid items of several forms (activities with and without optional parts, a place, an organizer). */
function validItem(form: number, id: string): Quad[] {
  const place: Place = {
    externalId: `${id}-venue`,
    name: { nl: `Zaal ${id}` },
    address: { street: 'Kouter', houseNumber: '1', postalCode: form % 2 === 0 ? '9000' : '1012 AB', municipality: { nl: 'Gent' }, country: form % 2 === 0 ? 'BE' : 'NL' },
    geo: form % 3 === 0 ? undefined : { latitude: 51.05, longitude: 3.72 },
  };
  const base: Partial<Activity> = { externalId: id, place, organizer: { externalId: `${id}-org`, name: { nl: 'Organisator' }, url: 'https://org.example.be', email: 'info@org.example.be' } };
  switch (form) {
    case 0:
      return activityToQuads(anActivity({ ...base, organizer: undefined, description: undefined, performances: [aPerformance(`${id}-p1`)] }), CONTEXT);
    case 1:
      return activityToQuads(
        anActivity({ ...base, description: undefined, type: undefined, organizer: undefined, booking: undefined, url: undefined, prices: [], performances: [aPerformance(`${id}-p1`, { end: undefined, availability: undefined })] }),
        CONTEXT,
      );
    case 2:
      return activityToQuads(
        anActivity({
          ...base,
          performances: [
            aPerformance(`${id}-p1`, { status: 'cancelled', availability: { capacity: 100, remaining: 0, level: 'OutOfStock', changedAt: '2026-11-20T10:00:00Z' } }),
            aPerformance(`${id}-p2`, { status: 'postponed', availability: { capacity: 100, remaining: 5, level: 'LimitedAvailability', changedAt: '2026-11-20T10:00:00+01:00' } }),
          ],
          prices: [
            { category: 'base', name: { nl: 'Basis', en: 'Base' }, amount: 20, currency: 'EUR' },
            { category: 'social', name: { nl: 'UiTPAS' }, amount: 4.5, currency: 'EUR' },
          ],
        }),
        CONTEXT,
      );
    case 3:
      return placeToQuads(place, CONTEXT);
    case 5:
      return activityToQuads(
        anActivity({ ...base, description: undefined, organizer: undefined, booking: undefined, url: undefined, prices: [], performances: [aPerformance(`${id}-p1`, { end: undefined, status: 'cancelled', availability: { capacity: 10, remaining: 10, level: 'InStock', changedAt: '2026-11-20T10:00:00Z' } })] }),
        CONTEXT,
      );
    default:
      return organizerToQuads({ externalId: `${id}-org`, name: { nl: 'Organisator', en: 'Organiser' }, url: 'https://org.example.be', phone: '+3292000000' }, CONTEXT);
  }
}
const FORMS = 6;

const DATATYPES = ['string', 'integer', 'decimal', 'dateTime', 'boolean', 'anyURI', 'date'].map((name) => namedNode(`${XSD}${name}`));
const ILL_FORMED = ['12,5', 'abc', '2026-13-45T25:00:00', '', '1.5', '-', 'tru', '2026-11-20', ' 7'];
const OFF_PATTERN = ['9000!', 'eur', 'EURO', '1', '12345678901', ' 9000', '0999', '99999'];
const LANGUAGES = ['nl', 'en', 'fr', 'en-gb', 'de'];
const OUTSIDE_IN = [`${SCHEMA}SoldOut`, `${SCHEMA}EventRescheduled`, `${SCHEMA}PreOrder`, 'https://example.org/level'];
const CLASSES = [TERMS.Activiteit, TERMS.Periode, TERMS.Plaats, TERMS.Address, TERMS.Organisator, TERMS.Prijsinfo, TERMS.Geldbedrag, TERMS.Boekingsinfo, TERMS.Identificator, TERMS.GestructureerdeIdentificator, TERMS.ContactPoint, TERMS.Geometry, `${SCHEMA}Thing`];
const NUMBERS = ['-1', '0', '1', '999999', '-0.5', '400', '150'];

type MutationKind =
  | 'drop' | 'add' | 'wrongDatatype' | 'illFormed' | 'wrongNodeKind' | 'brokenPattern' | 'language' | 'duplicateLanguage'
  | 'outsideIn' | 'dropType' | 'wrongType' | 'dangling' | 'number' | 'belgian';
const KINDS: MutationKind[] = ['drop', 'add', 'wrongDatatype', 'illFormed', 'wrongNodeKind', 'brokenPattern', 'language', 'duplicateLanguage', 'outsideIn', 'dropType', 'wrongType', 'dangling', 'number', 'belgian'];

type ActivityMutation = Mutation<MutationKind>;

const VALUES: MutationValues = {
  datatypes: DATATYPES,
  illFormed: ILL_FORMED,
  classes: CLASSES,
  // a language-tagged literal is an rdf:langString: no lexical form to break
  illFormedTarget: (candidate) => !(candidate.object as { language?: string }).language,
};

/** Applies one mutation in place; `id` keeps new IRIs and blank nodes unique per item. */
function mutate(quads: Quad[], mutation: ActivityMutation, id: string): void {
  if (applyCommonMutation(quads, mutation, id, VALUES)) return;
  const { variant } = mutation;
  const edit = new GraphEdit(quads, mutation.at);
  switch (mutation.kind) {
    case 'brokenPattern': {
      const index = edit.where((candidate) => candidate.predicate.value === TERMS.postCode || candidate.predicate.value === TERMS.currency);
      edit.replaceObject(index, literal(pick(OFF_PATTERN, variant)));
      return;
    }
    case 'language': {
      const index = edit.where((candidate) => isLiteral(candidate) && (candidate.object as { language?: string }).language !== '');
      if (index !== -1) edit.replaceObject(index, variant % 4 === 0 ? literal(quads[index].object.value) : literal(quads[index].object.value, pick(LANGUAGES, variant)));
      return;
    }
    case 'duplicateLanguage': {
      const index = edit.where((candidate) => isLiteral(candidate) && (candidate.object as { language?: string }).language !== '');
      if (index === -1) return;
      const old = quads[index];
      quads.push(quad(old.subject, old.predicate, literal(`${old.object.value} (2)`, (old.object as { language: string }).language)) as Quad);
      return;
    }
    case 'outsideIn': {
      const index = edit.where((candidate) => candidate.predicate.value === TERMS.ticketBeschikbaarheid || candidate.predicate.value === TERMS.status);
      edit.replaceObject(index, variant % 5 === 4 ? literal('InStock') : namedNode(pick(OUTSIDE_IN, variant)));
      return;
    }
    case 'number': {
      // Only a literal has a datatype to keep: an earlier mutation of the same graph may have made the object an IRI.
      const index = edit.where(
        (candidate) =>
          candidate.object.termType === 'Literal' &&
          ([TERMS.maximumAttendeeCapacity, TERMS.remainingAttendeeCapacity, TERMS.value, TERMS.lat] as string[]).includes(candidate.predicate.value),
      );
      if (index !== -1) edit.replaceObject(index, literal(pick(NUMBERS, variant), namedNode((quads[index].object as Literal).datatype.value)));
      return;
    }
    case 'belgian': {
      // the BE-only rule (sh:or / sh:not / sh:hasValue): a Belgian address with a foreign postcode, or the reverse
      const index = edit.where((candidate) => candidate.predicate.value === `${PREFIXES.locn}adminUnitL1`);
      edit.replaceObject(index, literal(variant % 2 === 0 ? 'BE' : 'NL'));
      return;
    }
  }
}

const mutationArbitrary: fc.Arbitrary<ActivityMutation> = fc.record({ kind: fc.constantFrom(...KINDS), at: fc.nat(), variant: fc.nat() });
const itemArbitrary = fc.record({ form: fc.nat({ max: FORMS - 1 }), mutations: fc.array(mutationArbitrary, { minLength: 0, maxLength: 3 }) });

const RANGE = new Set(['MinInclusive', 'MaxInclusive', 'MinExclusive', 'MaxExclusive', 'LessThan', 'LessThanOrEquals'].map((name) => `${SH}${name}ConstraintComponent`));
const ORDERED_BY = { [`${SCHEMA}remainingAttendeeCapacity`]: `${SCHEMA}maximumAttendeeCapacity` } as Record<string, string>;

/**
 * Why a result only the compiled validator gives is right: the departures of shacl-engine from the
 * SHACL specification that these graphs can reach (docs/decisions.md). Undefined: no known reason.
 */
function departure(key: string, quads: Quad[]): string | undefined {
  const [focus, , constraint, value] = JSON.parse(key) as [string, string | null, string, string | null, string | null];
  if (constraint === `${SH}PatternConstraintComponent` && value?.startsWith('_:')) return 'sh:pattern on a blank node (shacl-engine matches its label)';
  if (RANGE.has(constraint)) {
    const involved = quads.filter(
      (candidate) =>
        candidate.subject.value === focus.replace(/^_:/, '') &&
        ((candidate.object.termType === 'Literal' && candidate.object.value === value) || Object.values(ORDERED_BY).includes(candidate.predicate.value)),
    );
    if (involved.some((candidate) => isIllFormed(candidate.object))) return 'comparison with an ill-formed literal (shacl-engine compares its parseFloat prefix)';
  }
  return undefined;
}

describe('compiled validator == shacl-engine on generated graphs', () => {
  it('starts from valid graphs of every form', async () => {
    const graphs = Array.from({ length: FORMS }, (_, form) => validItem(form, `valid${form}`));
    const outcomes = await reference.validateBatch(graphs);
    expect(outcomes.map((outcome) => outcome.results)).toEqual(graphs.map(() => []));
    // eslint-disable-next-line no-console
    console.info(`quads per form: ${graphs.map((graph) => graph.length).join(', ')}`);
  });

  it(`gives the same results on ${RUNS * ITEMS_PER_RUN} mutated platform graphs`, async () => {
    let graphs = 0;
    let failing = 0;
    const departures = new Map<string, number>();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(itemArbitrary, { minLength: ITEMS_PER_RUN, maxLength: ITEMS_PER_RUN }), async (items) => {
        run++;
        const batch = items.map(({ form, mutations }, position) => {
          const id = `r${run}i${position}`;
          const quads = validItem(form, id);
          for (const mutation of mutations) mutate(quads, mutation, id);
          return quads;
        });
        const [expected, actual] = await Promise.all([reference.validateBatch(batch), compiled.validateBatch(batch)]);
        const union = batch.flat();
        for (let item = 0; item < batch.length; item++) {
          graphs++;
          if (!expected[item].conforms) failing++;
          for (const reason of expectSameOutcome(expected[item], actual[item], (key) => departure(key, union), () => `item ${item}: ${JSON.stringify(items[item])}`)) {
            departures.set(reason, (departures.get(reason) ?? 0) + 1);
          }
        }
      }),
      // no shrinking: a failure names the item and its graph, and the run stays bounded
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(graphs).toBeGreaterThanOrEqual(RUNS * ITEMS_PER_RUN);
    // the mutations really break things: many graphs fail, some stay valid
    expect(failing).toBeGreaterThan(graphs / 4);
    expect(failing).toBeLessThan(graphs);
    // eslint-disable-next-line no-console
    console.info(`${graphs} graphs (${failing} not conforming); spec departures of shacl-engine met: ${JSON.stringify(Object.fromEntries(departures))}`);
  }, 300_000);
});

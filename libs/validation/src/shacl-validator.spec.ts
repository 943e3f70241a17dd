import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { activityToQuads, normalizeQuads, parseTurtle, PREFIXES, quadsToActivities } from '@platform/linked-data';
import type { Activity } from '@platform/domain';
import { buildActivity, buildPerformance, TEST_CONTEXT } from '../../linked-data/src/testing/activity-factory.js';
import { defaultShapeFiles, ShaclValidator } from './shacl-validator.js';
import type { ValidationResult } from './shacl-validator.js';

const SH = PREFIXES.sh;

function quadsOf(activity: Activity) {
  return activityToQuads(activity, TEST_CONTEXT);
}

function find(results: ValidationResult[], constraint: string, path?: string): ValidationResult | undefined {
  return results.find((result) => result.constraint === SH + constraint && (path === undefined || result.path === path));
}

describe('defaultShapeFiles', () => {
  it('lists the shape files of the repository', () => {
    const files = defaultShapeFiles();
    expect(files.map((file) => file.replace(/^.*\//, ''))).toEqual(['cultuurparticipatie-deelname.ttl', 'cultuurparticipatie.ttl', 'platform-availability.ttl']);
  });
});

// Every behaviour below holds for both engines: shacl-engine (the reference) and the compiled shapes.
describe.each(['shacl-engine', 'compiled'] as const)('with engine %s', (engine) => {
  let validator: ShaclValidator;

  beforeAll(async () => {
    validator = await ShaclValidator.fromFiles(defaultShapeFiles(), { engine });
  });

  describe('ShaclValidator on platform output', () => {
    it('accepts a complete activity and a minimal one', async () => {
      await expect(validator.validate(quadsOf(buildActivity()))).resolves.toEqual({ conforms: true, results: [] });
      const minimal = buildActivity({
        description: undefined,
        type: undefined,
        theme: undefined,
        organizer: undefined,
        booking: undefined,
        url: undefined,
        images: undefined,
        prices: [],
        performances: [buildPerformance({ end: undefined, availability: undefined })],
        place: { externalId: 'p', name: { nl: 'Zaal' }, address: { postalCode: '9000', municipality: { nl: 'Gent' } } },
      });
      await expect(validator.validate(quadsOf(minimal))).resolves.toEqual({ conforms: true, results: [] });
    });

    it('reports a missing title with the shape message in both languages', async () => {
      const outcome = await validator.validate(quadsOf(buildActivity({ title: {} })));
      expect(outcome.conforms).toBe(false);
      const result = find(outcome.results, 'MinCountConstraintComponent', 'dcterms:title');
      expect(result).toMatchObject({
        severity: 'Violation',
        sourceShape:
          'https://data.vlaanderen.be/doc/applicatieprofiel/cultuurparticipatie/erkendestandaard/2024-09-11#ActiviteitShape/1399bd400d4637b15d5fe38202d6572f82150aac',
      });
      expect(result?.focusNode).toMatch(/\/id\/activiteit\//);
      expect(result?.message.nl).toContain('minstens één naam');
      expect(result?.message.en).toContain('at least one name');
    });

    it('reports remaining seats above capacity', async () => {
      const activity = buildActivity({
        performances: [buildPerformance({ availability: { capacity: 100, remaining: 120, level: 'InStock', changedAt: '2026-02-20T10:00:00+01:00' } })],
      });
      const outcome = await validator.validate(quadsOf(activity));
      expect(outcome.conforms).toBe(false);
      expect(outcome.results).toHaveLength(1);
      expect(outcome.results[0]).toMatchObject({
        constraint: `${SH}LessThanOrEqualsConstraintComponent`,
        path: 'schema:remainingAttendeeCapacity',
        value: '120',
        sourceShape: 'https://w3id.org/cultuurdata-platform/ns#AvailabilityShape-remaining',
      });
      expect(outcome.results[0].message.nl).toContain('tussen 0 en schema:maximumAttendeeCapacity');
      expect(outcome.results[0].message.en).toContain('between 0 and schema:maximumAttendeeCapacity');
    });

    it('reports a bad Belgian postcode', async () => {
      const activity = buildActivity();
      activity.place!.address.postalCode = '100';
      const outcome = await validator.validate(quadsOf(activity));
      expect(outcome.conforms).toBe(false);
      const result = find(outcome.results, 'OrConstraintComponent');
      expect(result?.focusNode).toMatch(/#adres$/);
      expect(result?.message).toEqual({
        nl: 'locn:postCode: een Belgische postcode bestaat uit 4 cijfers (1000-9999)',
        en: 'locn:postCode: a Belgian postcode has 4 digits (1000-9999)',
      });
      // a postcode that is not a postcode at all also fails the generic pattern, with its path
      activity.place!.address.postalCode = '1000!';
      const generic = await validator.validate(quadsOf(activity));
      expect(find(generic.results, 'PatternConstraintComponent', 'locn:postCode')?.value).toBe('1000!');
    });

    it('generates bilingual messages when a shape has none', async () => {
      const activity = buildActivity();
      const quads = quadsOf(activity).filter((quad) => quad.predicate.value !== `${PREFIXES.platform}verwerktOp`);
      const outcome = await validator.validate(quads);
      const result = find(outcome.results, 'MinCountConstraintComponent', 'platform:verwerktOp');
      expect(result?.message).toEqual({
        nl: 'platform:verwerktOp: minstens 1 waarde vereist, 0 gevonden',
        en: 'platform:verwerktOp: at least 1 value required, found 0',
      });
    });
  });

  describe('ShaclValidator.validateBatch', () => {
    it('attributes each result to the item that holds the focus node', async () => {
      const good = buildActivity({ externalId: 'good' });
      const badTitle = buildActivity({ externalId: 'bad-title', title: {} });
      const badSeats = buildActivity({
        externalId: 'bad-seats',
        performances: [buildPerformance({ externalId: 'x', availability: { capacity: 1, remaining: 2, level: 'InStock', changedAt: '2026-02-20T10:00:00+01:00' } })],
      });
      const outcomes = await validator.validateBatch([good, badTitle, badSeats].map(quadsOf));
      expect(outcomes.map((outcome) => outcome.conforms)).toEqual([true, false, false]);
      // the activity and its 3 performances (which carry the activity's title) all lack dcterms:title
      expect(outcomes[1].results.map((result) => result.path)).toEqual(Array(4).fill('dcterms:title'));
      expect(outcomes[2].results.map((result) => result.path)).toEqual(['schema:remainingAttendeeCapacity']);
    });

    it('gives a shared node (the same place) to every item that contains it', async () => {
      const first = buildActivity({ externalId: 'a' });
      first.place!.address.postalCode = '12';
      const second = buildActivity({ externalId: 'b' });
      second.place!.address.postalCode = '12';
      const outcomes = await validator.validateBatch([first, second].map(quadsOf));
      expect(outcomes.every((outcome) => !outcome.conforms)).toBe(true);
      expect(outcomes[0].results.map((result) => result.focusNode)).toEqual(outcomes[1].results.map((result) => result.focusNode));
    });

    it('matches validate() result for result', async () => {
      const items = [buildActivity({ externalId: 'one', title: {} }), buildActivity({ externalId: 'two' })].map(quadsOf);
      const batch = await validator.validateBatch(items);
      for (const [index, quads] of items.entries()) {
        await expect(validator.validate(quads)).resolves.toEqual(batch[index]);
      }
    });

  });

  describe('OSLO input with variant IRIs', () => {
    const text = readFileSync(new URL('../../linked-data/src/testing/oslo-variant-activity.ttl', import.meta.url), 'utf8');

    it('conforms once normalised (and not before)', async () => {
      const raw = parseTurtle(text);
      const before = await validator.validate(raw);
      expect(before.conforms).toBe(false);
      expect(find(before.results, 'MinCountConstraintComponent', 'locn:postCode')).toBeDefined();
      await expect(validator.validate(normalizeQuads(raw))).resolves.toEqual({ conforms: true, results: [] });
    });

    it('yields a valid activity through the domain model', async () => {
      const [mapped] = quadsToActivities(parseTurtle(text));
      expect(mapped.errors).toEqual([]);
      const republished = activityToQuads(mapped.activity as Activity, TEST_CONTEXT);
      await expect(validator.validate(republished)).resolves.toEqual({ conforms: true, results: [] });
    });
  });
});

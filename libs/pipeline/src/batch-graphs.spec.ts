import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Activity, Place } from '@platform/domain';
import { activityToQuads, organizerToQuads, placeToQuads } from '@platform/linked-data';
import { defaultShapeFiles, ShaclValidator, type ValidationOutcome } from '@platform/validation';
import { anActivity } from '../../../test/support/factories.js';
import { batchGraphs, outcomeOf, type BatchMember } from './batch-graphs.js';

const context = { sourceId: 'shared', publicBaseUrl: 'https://data.example.be', processedAt: '2026-12-01T10:00:00Z' };

/** What the pipeline did before places and organizers were shared: every item with its descriptions inline. */
async function inline(validator: ShaclValidator, members: BatchMember[]): Promise<ValidationOutcome[]> {
  return validator.validateBatch(
    members.map((member) =>
      member.write ? activityToQuads(member.write.activity, context) : member.place ? placeToQuads(member.place, context) : organizerToQuads(member.organizer!, context),
    ),
  );
}

async function shared(validator: ShaclValidator, members: BatchMember[]): Promise<ValidationOutcome[]> {
  const { graphs, parts } = batchGraphs(members, context);
  const outcomes = await validator.validateBatch(graphs);
  return parts.map((part) => outcomeOf(part.map((index) => outcomes[index])));
}

const sorted = (outcome: ValidationOutcome) => ({ conforms: outcome.conforms, results: outcome.results.map((result) => JSON.stringify(result)).sort() });

describe('batchGraphs: a place or organizer shared by a batch is built and validated once', () => {
  let validator: ShaclValidator;
  beforeAll(async () => {
    validator = await ShaclValidator.fromFiles(defaultShapeFiles());
  });

  it('builds each distinct description once and gives every item the same results as inline descriptions', async () => {
    const badPlace: Place = { ...anActivity().place!, externalId: 'venue-bad', name: {}, geo: { latitude: 'north' as unknown as number, longitude: 3.7 } };
    const activities: Activity[] = [
      anActivity(),
      anActivity(),
      // the same bad place, as one object and as an equal copy
      anActivity({ place: badPlace }),
      anActivity({ place: structuredClone(badPlace) }),
      // one place described differently by two items (decision 8: both fail)
      anActivity({ place: { ...anActivity().place!, externalId: 'venue-2' } }),
      anActivity({ place: { ...anActivity().place!, externalId: 'venue-2', address: { ...anActivity().place!.address, postalCode: '1000' } } }),
      anActivity({ organizer: { externalId: 'org-bad', name: {} } }),
      anActivity({ organizer: undefined }),
    ];
    const members: BatchMember[] = [...activities.map((activity) => ({ write: { activity } })), { place: badPlace }, { organizer: anActivity().organizer }];
    const { graphs } = batchGraphs(members, context);
    // 8 activities + places venue-1, venue-bad, venue-2 (x2 descriptions) + organizers org-1, org-bad
    expect(graphs).toHaveLength(8 + 4 + 2);

    const before = await inline(validator, members);
    const after = await shared(validator, members);
    expect(after.map(sorted)).toEqual(before.map(sorted));
    expect(after.map((outcome) => outcome.conforms)).toEqual([true, true, false, false, false, false, false, true, false, true]);
    // the place's own results reach the activities that use it
    expect(after[2].results.some((result) => result.focusNode.includes('/id/locatie/'))).toBe(true);
  });
});

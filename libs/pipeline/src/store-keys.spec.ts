import { describe, expect, it } from '@jest/globals';
import { anActivity } from '../../../test/support/factories.js';
import { keysWrittenBy, StoreKeys } from './store-keys.js';

describe('StoreKeys: what a page read against what the page before it may write', () => {
  it('a commit may write the items, their performances, the place and organizer they embed, deletions and seat counts', () => {
    const activity = anActivity({ externalId: 'a-1' });
    const written = keysWrittenBy(
      [
        { kind: 'activity', externalId: 'a-1', activity, problems: [], subjectIri: 'https://vendor.example/a-1' },
        { kind: 'place', externalId: 'hall', problems: [] },
        { kind: 'deletion', externalId: 'org-gone', entity: 'organizer', problems: [] },
      ],
      ['seat-9'],
    );
    expect(written.has('activity', 'a-1')).toBe(true);
    expect(written.has('performance', 'a-1-p1')).toBe(true);
    expect(written.has('place', 'venue-1')).toBe(true);
    expect(written.has('organizer', 'org-1')).toBe(true);
    expect(written.has('iri', 'https://vendor.example/a-1')).toBe(true);
    expect(written.has('place', 'hall')).toBe(true);
    expect(written.has('organizer', 'org-gone')).toBe(true);
    expect(written.has('performance', 'seat-9')).toBe(true);
    // Kinds are kept apart: an activity and a place may share an external id.
    expect(written.has('place', 'a-1')).toBe(false);
  });

  it('names a key both sets hold, or none', () => {
    const read = new StoreKeys().add('place', ['hall', undefined, null]).add('performance', ['p-1']);
    expect(read.size).toBe(2);
    expect(read.sharedWith(new StoreKeys().add('activity', ['hall']))).toBeUndefined();
    expect(read.sharedWith(new StoreKeys().add('performance', ['p-0', 'p-1']))).toBe('performance p-1');
  });
});
